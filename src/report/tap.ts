/**
 * TAP version 14 (https://testanything.org/tap-version-14-specification.html): one test
 * point a case, in order; a failed case or one that could not be checked is `not ok`, an
 * undetermined case is `ok … # SKIP` with what nfwalk could not know. Each case but a plain
 * pass has a YAML diagnostic block: its message, severity, place (`at`) and details.
 * Several suites are subtests, each summed up by a test point of its own.
 */
import { escapedChar } from "../diag/render.js";
import type { TestCase, TestRun, TestSuite } from "./types.js";

/** The run as a TAP 14 stream: one test point a case (a subtest a suite when there are several). */
export function tapReport(run: TestRun): string {
  const only = run.suites.length === 1 ? run.suites[0]! : undefined;
  const lines = ["TAP version 14", ...(only === undefined ? suitesLines(run.suites) : caseLines(only.cases))];
  return lines.join("\n") + "\n";
}

function suitesLines(suites: readonly TestSuite[]): string[] {
  return [
    `1..${suites.length}`,
    ...suites.flatMap((suite, i) => {
      const failed = suite.cases.some((c) => c.status === "fail" || c.status === "error");
      return [`# Subtest: ${description(suite.name)}`, ...caseLines(suite.cases).map((l) => `    ${l}`), `${failed ? "not ok" : "ok"} ${i + 1} - ${description(suite.name)}`];
    }),
  ];
}

function caseLines(cases: readonly TestCase[]): string[] {
  return [`1..${cases.length}`, ...cases.flatMap((c, i) => [testPoint(c, i + 1), ...diagnostics(c)])];
}

function testPoint(c: TestCase, n: number): string {
  const point = `${c.status === "fail" || c.status === "error" ? "not ok" : "ok"} ${n} - ${description(c.name)}`;
  return c.status === "undetermined" ? `${point} # SKIP ${description(c.message)}` : point;
}

/** The YAML block under a test point, indented two spaces; none for a pass without details. */
function diagnostics(c: TestCase): string[] {
  const fields: string[] = [];
  if (c.status !== "pass") fields.push(`message: ${quoted(c.message)}`);
  else if (c.notice !== undefined) fields.push(`message: ${quoted(c.notice)}`, "severity: notice");
  if (c.status === "fail") fields.push(`severity: ${c.severity}`);
  if (c.status === "undetermined" || c.status === "error") fields.push(`status: ${c.status}`);
  if (c.location !== undefined) {
    fields.push("at:", `  file: ${quoted(c.location.file)}`, `  line: ${c.location.line}`);
    if (c.location.column !== undefined) fields.push(`  column: ${c.location.column}`);
  }
  if (c.details !== undefined) fields.push(...scalarLines("details", c.details));
  return fields.length === 0 ? [] : ["  ---", ...fields.map((f) => `  ${f}`), "  ..."];
}

/** A description or directive reason: one line, `#` and `\` escaped as TAP 14 says, and nothing a reader could take for a line break. */
function description(text: string): string {
  return text
    .replace(/[\\#]/g, (c) => `\\${c}`)
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, " ")
    .replace(new RegExp(`\\t|${UNPRINTABLE.source}`, "g"), escapedChar);
}

/**
 * What YAML cannot hold as it is (its "printable" set excludes C0 but tab and line breaks, DEL,
 * C1 but NEL, U+FFFE/U+FFFF and unpaired surrogates), and the characters some YAML versions
 * take for line breaks (NEL, U+2028, U+2029) or a byte order mark.
 */
const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A YAML double-quoted scalar: JSON's string escapes are YAML's, and the characters JSON leaves as they are get `\u` escapes. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(new RegExp(UNPRINTABLE.source, "g"), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * `key: value` with a multi-line value as a literal block, which a person reads as written: an explicit
 * indentation (the text may start with blanks) and the chomping that keeps exactly its final line breaks.
 * Text a literal block cannot hold exactly is a quoted scalar.
 */
function scalarLines(key: string, text: string): string[] {
  const body = text.replace(/\n+$/, "");
  if (!body.includes("\n") || UNPRINTABLE.test(text)) return [`${key}: ${quoted(text)}`];
  const trailing = text.length - body.length;
  const chomping = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  return [
    `${key}: |2${chomping}`,
    ...text
      .slice(0, trailing > 1 ? text.length - 1 : body.length)
      .split("\n")
      .map((l) => `  ${l}`),
  ];
}
