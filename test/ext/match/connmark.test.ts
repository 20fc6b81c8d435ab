import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m connmark", [
  ["-m connmark --mark 0x10/0xff", "="],
  ["-m connmark ! --mark 1", "-m connmark ! --mark 0x1"],
  ["-m connmark --mark 0x0/0x0", "="],
  ["-m connmark --mark 0xffffffff/0xffffffff", "-m connmark --mark 0xffffffff"],
  ["-m connmark --mark 0x100000000", { error: "bad-value" }],
  ["-m connmark", { error: "missing-option" }],
]);

describe("-m connmark semantics (connmark_mt)", () => {
  test("the connection's mark; no entry, no match (inverted or not)", () => {
    const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { conntrack: { mark: 0x100 } });
    expect(verdict("-m connmark --mark 0x100", env)).toBe(true);
    expect(verdict("-m connmark ! --mark 0x1/0xf", env)).toBe(true);
    const invalid = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags RST]");
    expect(verdict("-m connmark ! --mark 0x5", invalid)).toBe(false);
  });
});
