/**
 * What a checking command found, in the shape test reporters read: a run is
 * suites of test cases, one case per expectation, finding, difference or
 * packet. The JUnit, TAP and GitHub renderers beside this file print it.
 */

/** Where a case points: a file and its 1-based line, and the column when known. */
export interface ReportLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** How loudly a failure is reported: GitHub's annotation levels, which TAP and JUnit carry as text. */
export type FailureSeverity = "error" | "warning";

/**
 * A case's result. `pass` may still say something worth a look (`notice`: a lint finding that
 * fails nothing); `fail`: the check does not hold; `undetermined`: whether it holds depends on
 * something nfwalk cannot know; `error`: the case could not be checked at all.
 */
export type CaseResult =
  | { readonly status: "pass"; readonly notice?: string }
  | { readonly status: "fail"; readonly severity: FailureSeverity; readonly message: string }
  | { readonly status: "undetermined"; readonly message: string }
  | { readonly status: "error"; readonly message: string };

export type CaseStatus = CaseResult["status"];

/** One expectation, finding, difference or packet. `message` is one line; `details` as many as it takes. */
export type TestCase = CaseResult & {
  readonly name: string;
  readonly location?: ReportLocation;
  readonly details?: string;
};

export interface TestSuite {
  readonly name: string;
  readonly cases: readonly TestCase[];
}

/** One command's answer: `name` is the command (`nfwalk check`), each suite usually one input file. */
export interface TestRun {
  readonly name: string;
  readonly suites: readonly TestSuite[];
}

/** How many cases have each status. */
export type Tally = Readonly<Record<CaseStatus, number>>;

/** Counts the cases of each status. */
export function tally(cases: readonly TestCase[]): Tally {
  const counts = { pass: 0, fail: 0, undetermined: 0, error: 0 };
  for (const c of cases) counts[c.status]++;
  return counts;
}

/**
 * A lint finding: a stable `code` (scripts and `--ignore` key on it), how serious it is, a one-line
 * explanation and the rule it is about.
 */
export interface Finding {
  readonly code: string;
  /** A notice fails nothing (lint exits 0 for it); reporters still show it. */
  readonly severity: FailureSeverity | "notice";
  readonly message: string;
  readonly location: ReportLocation;
  readonly details?: string;
}

/** A finding as a failed case (a passing one with its notice), named by its code and place so a reporter can follow it from run to run. */
export function findingCase(finding: Finding): TestCase {
  const { code, severity, message, location, details } = finding;
  const common = { name: `${code} (${location.file}:${location.line})`, location, ...(details !== undefined && { details }) };
  return severity === "notice" ? { ...common, status: "pass", notice: message } : { ...common, status: "fail", severity, message };
}
