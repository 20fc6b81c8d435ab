/** `nfwalk lint`: its text and JSON, --ignore, and the exit codes 0 (nothing but info), 1 (a warning or error) and 2 (bad input). */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { lint, parseRuleset } from "../../src/index.js";
import { runCli } from "../helpers/memory-io.js";

const shadowed = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n";
const infoOnly = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n";
const clean = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n";
const files = { "shadowed.v4": shadowed, "info.v4": infoOnly, "clean.v4": clean, "bad.v4": "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n" };

describe("nfwalk lint", () => {
  test("text: file:line: severity CODE: message, the rule, the rule it points to, a count", async () => {
    const r = await runCli(["lint", "shadowed.v4"], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "shadowed.v4:4: warning NF101: never matches: every packet it matches is taken before by rule 1 (line 3)",
        "    -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
        "    line 3: -A INPUT -p tcp -j DROP",
        "1 finding: 1 warning",
        "",
      ].join("\n"),
    );
  });

  test("--json: the findings with code, severity, place, message and rules", async () => {
    const r = await runCli(["lint", "--json", "shadowed.v4"], files);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.silenced).toBe(0);
    expect(report.findings).toEqual([
      {
        code: "NF101",
        severity: "warning",
        location: { file: "shadowed.v4", line: 4 },
        message: "never matches: every packet it matches is taken before by rule 1 (line 3)",
        rule: { location: { file: "shadowed.v4", line: 4 }, table: "filter", chain: "INPUT", rule: 2, text: "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT" },
        related: [{ location: { file: "shadowed.v4", line: 3 }, table: "filter", chain: "INPUT", rule: 1, text: "-A INPUT -p tcp -j DROP" }],
      },
    ]);
  });

  test.each([
    { args: ["lint", "clean.v4"], code: 0, says: "no findings" },
    { args: ["lint", "info.v4"], code: 0, says: "info NF103" },
    { args: ["lint", "shadowed.v4", "--ignore", "NF101"], code: 0, says: "no findings (1 silenced)" },
    { args: ["lint", "--rules", "shadowed.v4"], code: 1, says: "NF101" },
  ])("exit $code: $args", async ({ args, code, says }) => {
    const r = await runCli(args, files);
    expect(r.code).toBe(code);
    expect(r.stdout).toContain(says);
  });

  test.each([
    { args: ["lint", "missing.v4"], says: "missing.v4" },
    { args: ["lint", "bad.v4"], says: "bad.v4:3:" },
    { args: ["lint", "shadowed.v4", "--ignore", "NF999"], says: "--ignore NF999: no such finding code" },
    { args: ["lint", "shadowed.v4", "--rules", "clean.v4"], says: "give the rules once" },
    { args: ["lint"], says: "say which rules" },
  ])("exit 2: $args", async ({ args, says }) => {
    const r = await runCli(args, files);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(says);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test("the README's lint example prints what it shows", async () => {
  const root = resolve(import.meta.dirname, "../..");
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /```console\n\$ nfwalk (lint [^\n]*)\n([\s\S]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  const args = block![1]!.split(" ");
  const dir = join(root, "examples/docker-host");
  const inputs = Object.fromEntries(["rules-ufw.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
  const r = await runCli(args, inputs);
  expect(r.stdout).toBe(block![2]);
  expect(r.code).toBe(1);
});

test("the library's lint() gives what --json prints", async () => {
  const loaded = parseRuleset(shadowed, { file: "shadowed.v4" });
  if (!loaded.ok) throw new Error("loads");
  const r = await runCli(["lint", "--json", "shadowed.v4"], files);
  expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(lint(loaded.ruleset))));
});
