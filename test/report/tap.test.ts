/**
 * TAP 14, read by tap-parser (the parser of node-tap): every case comes back as a test point
 * with its result, name, skip reason and YAML diagnostics equal to the run's.
 */
import fc from "fast-check";
import type { Result } from "tap-parser";
import { describe, expect, it } from "vitest";
import { tapReport, type TestCase, type TestRun, type TestSuite } from "../../src/index.js";
import { parseTap as parse, type ParsedTap as Parsed } from "../helpers/report-readers.js";
import { EVERY_KIND, plainName, testRun } from "../helpers/report-runs.js";

const failing = (c: TestCase) => c.status === "fail" || c.status === "error";

function expectedDiag(c: TestCase): object | null {
  const diag = {
    ...(c.status !== "pass" ? { message: c.message } : c.notice !== undefined && { message: c.notice, severity: "notice" }),
    ...(c.status === "fail" && { severity: c.severity }),
    ...((c.status === "undetermined" || c.status === "error") && { status: c.status }),
    ...(c.location && { at: { file: c.location.file, line: c.location.line, ...(c.location.column !== undefined && { column: c.location.column }) } }),
    ...(c.details !== undefined && { details: c.details }),
  };
  return Object.keys(diag).length === 0 ? null : diag;
}

function expectPoints(points: readonly Result[], cases: readonly TestCase[]): void {
  expect(points.map((p) => ({ id: p.id, ok: p.ok, name: p.name, skip: p.skip !== false, diag: p.diag }))).toEqual(
    cases.map((c, i) => ({ id: i + 1, ok: !failing(c), name: c.name, skip: c.status === "undetermined", diag: expectedDiag(c) })),
  );
}

function expectRun(parsed: Parsed, run: TestRun): void {
  expect(parsed.ok).toBe(!run.suites.some((s: TestSuite) => s.cases.some(failing)));
  if (run.suites.length === 1) {
    expectPoints(parsed.points, run.suites[0]!.cases);
    return;
  }
  expect(parsed.points.map((p) => ({ name: p.name, ok: p.ok }))).toEqual(run.suites.map((s) => ({ name: s.name, ok: !s.cases.some(failing) })));
  run.suites.forEach((s, i) => expectPoints(parsed.subtests[i]!, s.cases));
}

describe("tapReport", () => {
  it("starts with the version line and the plan, and says SKIP with the reason for an undetermined case", () => {
    const tap = tapReport(EVERY_KIND);
    expect(tap.startsWith("TAP version 14\n1..8\nok 1 - ssh from the office reaches the host\n")).toBe(true);
    expect(tap).toContain("ok 5 - rate-limited dns # SKIP -m limit decides, and nfwalk cannot know its rate\n");
    expect(tap).toContain('not ok 3 - shadowed-rule (rules.v4:12)\n  ---\n  message: "never matches: rule 11 takes all its packets"\n  severity: warning\n');
    const skip = parse(tap).points[4]!;
    expect(skip.skip).toBe("-m limit decides, and nfwalk cannot know its rate");
  });

  it("gives a parser exactly the cases of a run with every kind of case", () => {
    const { suites } = EVERY_KIND;
    // The awkward names are written on one line (their line breaks as blanks), so they are compared apart.
    const plain = { ...EVERY_KIND, suites: [{ ...suites[0]!, cases: suites[0]!.cases.slice(0, 6) }] };
    expectRun(parse(tapReport(plain)), plain);
    const awkward = parse(tapReport(EVERY_KIND)).points.slice(6);
    expect(awkward.map((p) => p.diag)).toEqual(suites[0]!.cases.slice(6).map(expectedDiag));
    expect(awkward.map((p) => p.name.includes("\n"))).toEqual([false, false]);
  });

  it("writes # and \\ in a name so the parser reads them back", () => {
    const run: TestRun = { name: "r", suites: [{ name: "s", cases: [{ name: "port #22 \\ or # SKIP this", status: "pass" }] }] };
    expect(parse(tapReport(run)).points[0]).toMatchObject({ name: "port #22 \\ or # SKIP this", skip: false });
  });

  it("gives a parser exactly the cases of arbitrary runs, several suites as subtests", () => {
    fc.assert(
      fc.property(testRun(plainName), (run) => expectRun(parse(tapReport(run)), run)),
      { numRuns: 300, seed: 13 },
    );
  });
});
