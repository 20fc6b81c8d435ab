/** Test runs for the report renderers: one with every kind of case and awkward text, and arbitrary ones. */
import fc from "fast-check";
import type { FailureSeverity, ReportLocation, TestCase, TestRun } from "../../src/index.js";

/** Text that trips up every format: markup, quotes, escapes' own characters, every kind of line break, controls, wide characters. */
export const AWKWARD = `a&b <c> "d" 'e' 100% x:y, z # \\ \t tab\r\nCRLF\rCR\nLF \x00\x01\x1b[31m \x7f\x85 \u2028\u2029 \ufeff\ufffe\uffff é→🔥 \ud800 lone`;

export const EVERY_KIND: TestRun = {
  name: "nfwalk check",
  suites: [
    {
      name: "expectations.yaml",
      cases: [
        { name: "ssh from the office reaches the host", status: "pass", location: { file: "expectations.yaml", line: 4, column: 5 } },
        {
          name: "web is forwarded to the container",
          status: "fail",
          severity: "error",
          message: "tcp 203.0.113.7:40000 -> 10.99.0.1:8080 is dropped",
          location: { file: "expectations.yaml", line: 9, column: 5 },
          details: "counter-example: tcp 203.0.113.7:40000 -> 10.99.0.1:8080 [flags SYN]\nbreaking it:\n  tcp any -> 10.99.0.1:8080\n",
        },
        { name: "shadowed-rule (rules.v4:12)", status: "fail", severity: "warning", message: "never matches: rule 11 takes all its packets", location: { file: "rules.v4", line: 12 } },
        { name: "a notice", status: "pass", notice: "just so you know" },
        {
          name: "rate-limited dns",
          status: "undetermined",
          message: "-m limit decides, and nfwalk cannot know its rate",
          location: { file: "expectations.yaml", line: 14, column: 5 },
          details: "assume limit=match or limit=nomatch",
        },
        { name: "broken", status: "error", message: "the expectation could not be checked", details: "  indented first line\n\n\nthree breaks above, two below\n\n" },
        { name: AWKWARD, status: "fail", severity: "error", message: AWKWARD, location: { file: AWKWARD, line: 1, column: 1 }, details: AWKWARD },
        { name: `${AWKWARD} undetermined`, status: "undetermined", message: AWKWARD, details: AWKWARD },
      ],
    },
  ],
};

/** Any text, lone surrogates and controls included. */
export const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 40 });
const someText = fc.oneof(anyText, fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom(AWKWARD, "", "\n", "a\n", "a\n\n", " a\nb"));

const location: fc.Arbitrary<ReportLocation> = fc.record({ file: someText, line: fc.integer({ min: 1, max: 1e6 }), column: fc.integer({ min: 1, max: 1000 }) }, { requiredKeys: ["file", "line"] });
const severity: fc.Arbitrary<FailureSeverity> = fc.constantFrom("error", "warning");

/** Names without line breaks or control characters: a TAP description is one line, so these come back as given. */
export const plainName = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).filter((s) => /^\S(.*\S)?$/su.test(s) && !/[\p{Cc}\u2028\u2029\u0085]/u.test(s));

export function testCase(name: fc.Arbitrary<string>): fc.Arbitrary<TestCase> {
  const common = { name, location, details: someText };
  const optional = { requiredKeys: ["name", "status"] as ("name" | "status")[] };
  return fc.oneof(
    fc.record({ ...common, status: fc.constant("pass" as const), notice: someText }, optional),
    fc.record({ ...common, status: fc.constant("fail" as const), severity, message: someText }, { requiredKeys: ["name", "status", "severity", "message"] }),
    fc.record({ ...common, status: fc.constant("undetermined" as const), message: someText }, { requiredKeys: ["name", "status", "message"] }),
    fc.record({ ...common, status: fc.constant("error" as const), message: someText }, { requiredKeys: ["name", "status", "message"] }),
  ) as fc.Arbitrary<TestCase>;
}

export function testRun(name: fc.Arbitrary<string>): fc.Arbitrary<TestRun> {
  const suite = fc.record({ name, cases: fc.array(testCase(name), { maxLength: 6 }) });
  return fc.record({ name, suites: fc.array(suite, { minLength: 1, maxLength: 3 }) });
}
