/**
 * JUnit XML: valid against the Jenkins junit-4 schema a registry package publishes (with the
 * `file`/`line` attributes GitLab and GitHub's reporters read, see helpers/junit-xml.ts), and
 * read back by another XML parser as exactly the run it was made from.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapedChar } from "../../src/diag/render.js";
import { junitReport, type TestCase, type TestRun } from "../../src/index.js";
import { readJunit, schemaErrors, type ReadCase, type ReadRun } from "../helpers/junit-xml.js";
import { anyText, AWKWARD, EVERY_KIND, testRun } from "../helpers/report-runs.js";

/** What XML 1.0 cannot hold at all, even as a reference, comes back as an escape such as `\x1b`. */
const inXml = (s: string): string => s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, escapedChar);

function expectedCase(c: TestCase, suite: string): ReadCase {
  const details = c.details === undefined ? undefined : inXml(c.details);
  return {
    name: inXml(c.name),
    classname: inXml(c.location?.file ?? suite),
    file: c.location === undefined ? null : inXml(c.location.file),
    line: c.location === undefined ? null : String(c.location.line),
    failure: c.status === "fail" ? { message: inXml(c.message), type: c.severity, text: details ?? "" } : null,
    error: c.status === "error" ? { message: inXml(c.message), text: details ?? "" } : null,
    skipped: c.status === "undetermined" ? inXml(c.message) : null,
    out: outText(c),
  };
}

/** What goes to <system-out>: a pass's notice and details, an undetermined case's details. */
function outText(c: TestCase): string | null {
  const parts = c.status === "pass" ? [c.notice, c.details] : c.status === "undetermined" ? [c.details] : [];
  const out = parts.filter((p) => p !== undefined && p !== "").join("\n\n");
  return out === "" ? null : inXml(out);
}

function expectedRun(run: TestRun): ReadRun {
  const count = (cases: readonly TestCase[], status: TestCase["status"]) => String(cases.filter((c) => c.status === status).length);
  const all = run.suites.flatMap((s) => s.cases);
  return {
    name: inXml(run.name),
    tests: String(all.length),
    failures: count(all, "fail"),
    errors: count(all, "error"),
    suites: run.suites.map((s) => ({
      name: inXml(s.name),
      tests: String(s.cases.length),
      failures: count(s.cases, "fail"),
      errors: count(s.cases, "error"),
      skipped: count(s.cases, "undetermined"),
      cases: s.cases.map((c) => expectedCase(c, s.name)),
    })),
  };
}

function written(runs: readonly TestRun[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "nfwalk-junit-test-"));
  return runs.map((run, i) => {
    const file = join(dir, `run-${i}.xml`);
    writeFileSync(file, junitReport(run));
    return file;
  });
}

describe("junitReport", () => {
  it("writes every kind of case as the schema allows, and a reader gets back what was in the run", () => {
    const files = written([EVERY_KIND]);
    expect(schemaErrors(files)).toBeUndefined();
    expect(readJunit(files)).toEqual([expectedRun(EVERY_KIND)]);
  });

  it("maps statuses as documented: a failure with its severity as type, an error, undetermined as skipped with the details beside it", () => {
    const xml = junitReport(EVERY_KIND);
    expect(xml).toContain('<testsuite name="expectations.yaml" tests="8" failures="3" errors="1" skipped="2">');
    expect(xml).toContain(
      '<testcase name="shadowed-rule (rules.v4:12)" classname="rules.v4" file="rules.v4" line="12">\n      <failure message="never matches: rule 11 takes all its packets" type="warning"></failure>',
    );
    expect(xml).toContain("<skipped>-m limit decides, and nfwalk cannot know its rate</skipped>\n      <system-out>assume limit=match or limit=nomatch</system-out>");
    expect(xml).toContain('<testcase name="ssh from the office reaches the host" classname="expectations.yaml" file="expectations.yaml" line="4"/>');
  });

  it("escapes markup and line breaks in attributes and keeps carriage returns in text", () => {
    const xml = junitReport(EVERY_KIND);
    expect(AWKWARD).toContain("\r\n");
    expect(xml).toContain("a&amp;b &lt;c&gt; &quot;d&quot; 'e' 100% x:y, z # \\ &#9; tab&#13;&#10;CRLF&#13;CR&#10;LF \\x00\\x01\\x1b[31m");
    expect(xml).toContain(">a&amp;b &lt;c&gt; \"d\" 'e' 100% x:y, z # \\ \t tab&#13;\nCRLF&#13;CR\nLF \\x00");
  });

  it("gives arbitrary runs that are valid and read back exactly", () => {
    const runs = fc.sample(testRun(anyText), { numRuns: 60, seed: 13 });
    const files = written(runs);
    expect(schemaErrors(files)).toBeUndefined();
    expect(readJunit(files)).toEqual(runs.map(expectedRun));
  });
});
