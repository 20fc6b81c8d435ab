/**
 * A dump with thousands of warnings prints every error, the first few warnings of each kind
 * and a count per kind; `--verbose` prints them all.
 */
import { describe, expect, test } from "vitest";
import { summariseDiagnostics, warning, WARNINGS_SHOWN, type Diagnostic } from "../../src/diag/index.js";
import { runCli } from "../helpers/memory-io.js";

/** A dump whose every rule matches a censored MAC address (a warning each), as published dumps have. */
function censoredDump(rules: number, { crlf = false, errors = 0 } = {}): string {
  const lines = ["*filter", ":INPUT ACCEPT [0:0]"];
  for (let i = 0; i < rules; i++) lines.push(`-A INPUT -s 10.0.${i >> 8}.${i & 255}/32 -m mac --mac-source XX:XX:XX:XX:XX:XX -j ACCEPT`);
  for (let i = 0; i < errors; i++) lines.push(`-A INPUT -p tcp --dprot ${i} -j ACCEPT`);
  lines.push("COMMIT", "");
  return lines.join(crlf ? "\r\n" : "\n");
}

const positioned = (stderr: string, code: string) => stderr.split("\n").filter((l) => /^rules\.v4:\d+:\d+: warning: /.test(l) && l.endsWith(`[${code}]`));

describe("many warnings", () => {
  test("a few of each kind are shown whole, then one line counts every kind", async () => {
    const r = await runCli(["fmt", "rules.v4"], { "rules.v4": censoredDump(2000, { crlf: true }) });
    expect(r.code).toBe(0);
    expect(positioned(r.stderr, "crlf")).toHaveLength(1);
    const examples = positioned(r.stderr, "censored-mac");
    expect(examples).toHaveLength(3);
    // The first ones, in order, each with its line and caret.
    expect(examples.map((l) => l.split(":")[1])).toEqual(["3", "4", "5"]);
    expect(r.stderr).toContain(" 3 | -A INPUT -s 10.0.0.0/32 -m mac --mac-source XX:XX:XX:XX:XX:XX -j ACCEPT\n");
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe("nfwalk: rules.v4: 2001 warnings (censored-mac 2000, crlf 1); 1997 not shown: --verbose prints them all");
    expect(r.stderr.split("\n").length).toBeLessThan(20);
  });

  test("--verbose, before or after the command, prints every warning and no count", async () => {
    const dump = censoredDump(2000);
    for (const argv of [
      ["--verbose", "fmt", "rules.v4"],
      ["fmt", "--verbose", "rules.v4"],
    ]) {
      const r = await runCli(argv, { "rules.v4": dump });
      expect(r.code).toBe(0);
      expect(positioned(r.stderr, "censored-mac")).toHaveLength(2000);
      expect(r.stderr).not.toContain("not shown");
    }
  });

  test("the output is the same either way", async () => {
    const dump = censoredDump(50);
    expect((await runCli(["fmt", "rules.v4"], { "rules.v4": dump })).stdout).toBe((await runCli(["fmt", "--verbose", "rules.v4"], { "rules.v4": dump })).stdout);
  });

  test(`up to ${WARNINGS_SHOWN} warnings are all shown, with no count`, async () => {
    const r = await runCli(["fmt", "rules.v4"], { "rules.v4": censoredDump(WARNINGS_SHOWN) });
    expect(positioned(r.stderr, "censored-mac")).toHaveLength(WARNINGS_SHOWN);
    expect(r.stderr).not.toContain("not shown");
  });

  test("errors are never left out", async () => {
    const r = await runCli(["fmt", "rules.v4"], { "rules.v4": censoredDump(500, { errors: 20 }) });
    expect(r.code).toBe(2);
    expect(r.stderr.match(/: error: unknown option "--dprot"/g)).toHaveLength(20);
    expect(positioned(r.stderr, "censored-mac")).toHaveLength(3);
    expect(r.stderr).toContain("500 warnings (censored-mac 500); 497 not shown");
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe("nfwalk: rules.v4: 20 errors; nothing was loaded");
  });

  test("the same for every command that loads rules", async () => {
    const r = await runCli(["trace", "--rules", "rules.v4", "--in", "eth0", "tcp 10.9.0.1:40000 -> 10.9.0.2:80"], { "rules.v4": censoredDump(300) });
    expect(positioned(r.stderr, "censored-mac")).toHaveLength(3);
    expect(r.stderr).toContain("300 warnings (censored-mac 300); 297 not shown: --verbose prints them all");
  });
});

describe("summariseDiagnostics", () => {
  const w = (code: string, line: number): Diagnostic => warning(code, `${code} on ${line}`, { file: "f", line, column: 1, length: 1 });

  test("keeps the order, at most three of a code and ten in all, and counts every code, most frequent first", () => {
    const diagnostics = [...Array.from({ length: 20 }, (_, i) => w(`code${i % 5}`, i + 1)), ...Array.from({ length: 6 }, (_, i) => w("a-many", 100 + i))];
    const summary = summariseDiagnostics(diagnostics);
    expect(summary.shown.map((d) => d.span!.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(summary).toMatchObject({ warnings: 26, omitted: 16 });
    expect(summary.perCode).toEqual([{ code: "a-many", count: 6 }, ...[0, 1, 2, 3, 4].map((i) => ({ code: `code${i}`, count: 4 }))]);
    const many = summariseDiagnostics(Array.from({ length: 12 }, (_, i) => w("x", i + 1)));
    expect(many.shown.map((d) => d.span!.line)).toEqual([1, 2, 3]);
  });
});
