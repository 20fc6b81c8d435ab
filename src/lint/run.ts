/**
 * lint's findings as a test run for CI reporters: one case a finding at its line, failed for
 * an error or a warning (what makes lint exit 1), passing with a notice for an info finding
 * (lint exits 0 for those); a clean ruleset is one passing case.
 */
import { findingCase, type TestCase, type TestRun } from "../report/index.js";
import { findingDetails } from "./text.js";
import type { LintFinding, LintReport } from "./types.js";

/** The report of `lint` on `file` as a test run. */
export function lintRun(report: LintReport, file: string): TestRun {
  const silenced = report.silenced > 0 ? ` (${report.silenced} silenced)` : "";
  const clean: TestCase = { name: `no findings${silenced}`, status: "pass", location: { file, line: 1 } };
  return { name: "nfwalk lint", suites: [{ name: file, cases: report.findings.length === 0 ? [clean] : report.findings.map(lintCase) }] };
}

function lintCase(f: LintFinding): TestCase {
  const details = findingDetails(f);
  return findingCase({
    code: f.code,
    severity: f.severity === "info" ? "notice" : f.severity,
    message: f.message,
    location: f.location,
    ...(details.length > 0 && { details: details.join("\n") }),
  });
}
