/**
 * GitHub Actions workflow commands, read back the way the runner reads them (helpers/report-readers.ts),
 * as GitHub documents the escaping of `%`, CR and LF, and of `:` and `,` in properties.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { githubReport, type TestCase, type TestRun } from "../../src/index.js";
import { readCommand, type Command } from "../helpers/report-readers.js";
import { anyText, EVERY_KIND, testRun } from "../helpers/report-runs.js";

function expectedCommand(c: TestCase): Command | undefined {
  if (c.status === "pass" && c.notice === undefined) return undefined;
  const name = c.status === "pass" ? "notice" : c.status === "fail" ? c.severity : c.status === "error" ? "error" : "warning";
  const place = c.location === undefined ? {} : { file: c.location.file, line: String(c.location.line), ...(c.location.column !== undefined && { col: String(c.location.column) }) };
  const title = c.status === "undetermined" ? `undetermined: ${c.name}` : c.name;
  const said = c.status === "pass" ? c.notice! : c.message;
  return { name, properties: { ...place, title }, message: c.details === undefined ? said : `${said}\n\n${c.details}` };
}

function expectRead(run: TestRun): void {
  const lines = githubReport(run).split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.pop()).toMatch(/^\d+ passed, \d+ failed, \d+ undetermined(, \d+ not checked)? \(/);
  expect(lines.map(readCommand)).toEqual(run.suites.flatMap((s) => s.cases.flatMap((c) => expectedCommand(c) ?? [])));
}

describe("githubReport", () => {
  it("annotates each case that did not pass at its file, line and column, by severity, and counts them all", () => {
    const out = githubReport(EVERY_KIND).split("\n");
    expect(out[0]).toBe(
      "::error file=expectations.yaml,line=9,col=5,title=web is forwarded to the container::tcp 203.0.113.7:40000 -> 10.99.0.1:8080 is dropped%0A%0Acounter-example: tcp 203.0.113.7:40000 -> 10.99.0.1:8080 [flags SYN]%0Abreaking it:%0A  tcp any -> 10.99.0.1:8080%0A",
    );
    expect(out[1]).toBe("::warning file=rules.v4,line=12,title=shadowed-rule (rules.v4%3A12)::never matches: rule 11 takes all its packets");
    expect(out[2]).toBe("::notice title=a notice::just so you know");
    expect(out[3]).toBe(
      "::warning file=expectations.yaml,line=14,col=5,title=undetermined%3A rate-limited dns::-m limit decides, and nfwalk cannot know its rate%0A%0Aassume limit=match or limit=nomatch",
    );
    expect(out.at(-2)).toBe("2 passed, 3 failed, 2 undetermined, 1 not checked (nfwalk check)");
  });

  it("escapes what the runner unescapes: every field comes back exactly", () => {
    expectRead(EVERY_KIND);
    fc.assert(fc.property(testRun(anyText), expectRead), { numRuns: 300, seed: 13 });
  });
});
