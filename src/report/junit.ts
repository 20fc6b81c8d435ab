/**
 * JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it (the Jenkins
 * junit-4 schema, plus the `file` and `line` attributes GitLab and the GitHub reporters
 * take a test case's place from). A failed case has `<failure>`, a case that could not
 * be checked `<error>`; an undetermined case is `<skipped>`: it neither holds nor fails,
 * as the exit code 3 says, and its text says what nfwalk could not know.
 */
import { escapedChar } from "../diag/render.js";
import { tally, type TestCase, type TestRun, type TestSuite } from "./types.js";

/** The run as a JUnit XML document: one `<testsuite>` a suite, one `<testcase>` a case. */
export function junitReport(run: TestRun): string {
  const all = tally(run.suites.flatMap((s) => s.cases));
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${attribute(run.name)}" tests="${total(all)}" failures="${all.fail}" errors="${all.error}">`,
    ...run.suites.flatMap(suiteLines),
    `</testsuites>`,
  ];
  return lines.join("\n") + "\n";
}

function suiteLines(suite: TestSuite): string[] {
  const t = tally(suite.cases);
  return [
    `  <testsuite name="${attribute(suite.name)}" tests="${total(t)}" failures="${t.fail}" errors="${t.error}" skipped="${t.undetermined}">`,
    ...suite.cases.flatMap((c) => caseLines(c, suite.name)),
    `  </testsuite>`,
  ];
}

function caseLines(c: TestCase, suiteName: string): string[] {
  // Jenkins groups cases by class name: the file they come from, or the suite.
  const place = c.location === undefined ? "" : ` file="${attribute(c.location.file)}" line="${c.location.line}"`;
  const open = `    <testcase name="${attribute(c.name)}" classname="${attribute(c.location?.file ?? suiteName)}"${place}`;
  const body = bodyLines(c);
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body.map((l) => `      ${l}`), `    </testcase>`];
}

/** The schema's order: skipped, error, failure, then system-out. */
function bodyLines(c: TestCase): string[] {
  const details = c.details === undefined ? undefined : text(c.details);
  switch (c.status) {
    case "pass":
      return systemOut([c.notice, c.details]);
    case "undetermined":
      // junit-4's <skipped> holds text only; the details go beside it.
      return [`<skipped>${text(c.message)}</skipped>`, ...systemOut([c.details])];
    case "error":
      return [`<error message="${attribute(c.message)}">${details ?? ""}</error>`];
    case "fail":
      return [`<failure message="${attribute(c.message)}" type="${c.severity}">${details ?? ""}</failure>`];
  }
}

/** The texts there are, a blank line apart, as the case's output; none when there is nothing to say. */
function systemOut(texts: readonly (string | undefined)[]): string[] {
  const out = texts.filter((t) => t !== undefined && t !== "").join("\n\n");
  return out === "" ? [] : [`<system-out>${text(out)}</system-out>`];
}

const total = (t: ReturnType<typeof tally>): number => t.pass + t.fail + t.undetermined + t.error;

/**
 * Characters XML 1.0 cannot hold even as a reference (C0 controls but tab and line breaks,
 * U+FFFE/U+FFFF, a surrogate without its pair): written as a visible escape like `\x1b`.
 */
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Element text: markup escaped, and a carriage return as a reference, which a parser would otherwise turn into a line feed. */
function text(s: string): string {
  return s.replace(NOT_XML, escapedChar).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]!);
}

/** An attribute value in double quotes: tabs and line breaks too as references, which attribute normalisation would turn into spaces. */
function attribute(s: string): string {
  return s.replace(NOT_XML, escapedChar).replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { ...TEXT_ESCAPES, '"': "&quot;", "\t": "&#9;", "\n": "&#10;" };
