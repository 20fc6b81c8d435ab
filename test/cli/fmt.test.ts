import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dump = ["*filter", ":INPUT DROP [7:420]", "[1:60] -A INPUT -s 10.1.2.3/8 -p tcp --dport ssh -j ACCEPT", "COMMIT", ""].join("\n");

describe("nfwalk fmt", () => {
  test("prints the canonical form and exits 0", async () => {
    const r = await runCli(["fmt", "rules.v4"], { "rules.v4": dump });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      ["*filter", ":INPUT DROP [7:420]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", "[1:60] -A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT", "COMMIT", ""].join("\n"),
    );
  });

  test("--no-counters leaves counters out", async () => {
    const r = await runCli(["fmt", "--no-counters", "rules.v4"], { "rules.v4": dump });
    expect(r.stdout).toContain(":INPUT DROP [0:0]\n");
    expect(r.stdout).toContain("\n-A INPUT -s 10.0.0.0/8");
  });

  test("a bad dump gives exit 2, a positioned error with caret, and nothing on stdout", async () => {
    const r = await runCli(["fmt", "bad.v4"], { "bad.v4": "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprot 80 -j ACCEPT\nCOMMIT\n" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('bad.v4:3:17: error: unknown option "--dprot" [unknown-option]');
    expect(r.stderr).toContain(" 3 | -A INPUT -p tcp --dprot 80 -j ACCEPT\n   |                 ^^^^^^^");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("a missing file is a usage error", async () => {
    const r = await runCli(["fmt", "nope.v4"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("nope.v4: cannot read: no such file");
  });

  test("an unknown command or flag is a usage error", async () => {
    expect((await runCli(["frobnicate"])).code).toBe(2);
    expect((await runCli(["fmt", "--bogus", "x"], { x: dump })).code).toBe(2);
  });

  test("old syntax loads with a warning and prints in today's form", async () => {
    const old = "*filter\r\n:INPUT ACCEPT [0:0]\r\n-A INPUT -s ! 10.0.0.0/255.0.0.0 -j DROP\r\nCOMMIT\r\n";
    const r = await runCli(["fmt", "old.v4"], { "old.v4": old });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("-A INPUT ! -s 10.0.0.0/8 -j DROP\n");
    expect(r.stderr).toContain("[crlf]");
    expect(r.stderr).toContain("[old-negation]");
  });
});
