/**
 * A check report as JSON (`nfwalk check --json`, README "Use in CI") and as
 * text for people: one line an expectation, with the detail of those that
 * fail or cannot be decided.
 */
import type { TestCase, TestRun } from "../report/types.js";
import { boxJson } from "../sets/text.js";
import { differenceJson, ingressJson, treatmentJson } from "../sets/report.js";
import { checkStatus } from "./check.js";
import { outcomeSpecText } from "./outcome.js";
import type { CheckReport, CheckStatus, ExpectationResult } from "./types.js";

/** The report as `nfwalk check --json` prints it: every expectation with its name, file, line, status, message and detail, the totals, and what was assumed. */
export function checkJson(report: CheckReport): object {
  return { expectations: report.results.map(resultJson), summary: { status: checkStatus(report), ...counts(report) }, assumed: report.assumed };
}

function resultJson(r: ExpectationResult): object {
  const head = { name: r.name, file: r.where.file, line: r.where.line, column: r.where.column, status: r.status };
  const packets = r.packets && { ...ingressJson(r.packets.ingress), packets: r.packets.text };
  const what =
    r.kind === "outcome"
      ? {
          expect: outcomeSpecText(r.expect),
          ...packets,
          broken: r.broken.map((b) => ({ ...treatmentJson(b.treatment, r.family), reason: b.treatment.reason, boxes: b.set.map((box) => boxJson(box, r.family)), example: b.example })),
        }
      : { expect: "no-change", before: r.before, ...packets, broken: r.broken.map(differenceJson) };
  return {
    ...head,
    ...what,
    message: r.message,
    detail: r.detail,
    ...(r.counterExample && { counterExample: { packet: r.counterExample.packet, ...ingressJson(r.counterExample.ingress), trace: r.counterExample.trace } }),
    undetermined: r.undetermined.map((u) => ({ ...ingressJson(u.ingress), reason: u.reason, boxes: u.set.map((box) => boxJson(box, r.family)), example: u.example })),
  };
}

function counts(report: CheckReport): Record<"passed" | "failed" | "undetermined", number> {
  const count = (status: CheckStatus) => report.results.filter((r) => r.status === status).length;
  return { passed: count("pass"), failed: count("fail"), undetermined: count("undetermined") };
}

const LABEL: Readonly<Record<CheckStatus, string>> = { pass: "PASS", fail: "FAIL", undetermined: "UNDETERMINED" };

/** The report as `nfwalk check` prints it. */
export function checkText(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`${LABEL[r.status]}  ${r.name}  (${r.where.file}:${r.where.line})`);
    if (r.status !== "pass") lines.push(...r.detail.split("\n").map((l) => `      ${l}`), "");
  }
  const { passed, failed, undetermined } = counts(report);
  const total = report.results.length;
  lines.push(`${total} expectation${total === 1 ? "" : "s"}: ${passed} passed, ${failed} failed, ${undetermined} undetermined`);
  lines.push(...report.assumed.map((a) => `assumed: ${a}`));
  return lines.join("\n") + "\n";
}

/** The report as a test run (one suite, the expectations file; one case an expectation) for the JUnit, TAP and GitHub renderers. */
export function checkTestRun(report: CheckReport, file: string): TestRun {
  return { name: "nfwalk check", suites: [{ name: file, cases: report.results.map(testCase) }] };
}

function testCase(r: ExpectationResult): TestCase {
  const common = { name: r.name, location: { file: r.where.file, line: r.where.line, column: r.where.column }, details: r.detail };
  if (r.status === "pass") return { ...common, status: "pass" };
  if (r.status === "fail") return { ...common, status: "fail", severity: "error", message: r.message };
  return { ...common, status: "undetermined", message: r.message };
}
