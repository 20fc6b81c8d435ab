import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m state", [
  ["-m state --state NEW", "="],
  ["-m state --state INVALID", "="],
  ["-m state --state UNTRACKED", "="],
  ["-m state --state NEW,RELATED", "="],
  ["-m state --state RELATED,ESTABLISHED", "="],
  ["-m state --state ESTABLISHED,RELATED", "-m state --state RELATED,ESTABLISHED"],
  ["-m state --state RELATED,ESTABLISHED,UNTRACKED", "="],
  ["-m state ! --state INVALID", "="],
  ["-m state --state new", "-m state --state NEW"],
  ["-m state --state NEW,NEW", "-m state --state NEW"],
  ["-m state --state est", "-m state --state ESTABLISHED"],
  ["-m state --state n,r", "-m state --state NEW,RELATED"],
  ["-m state --state UNTRACKED,SNAT", { error: "bad-value" }],
  ["-m state --state FOO", { error: "bad-value" }],
  ["-m state --state NEWX", { error: "bad-value" }],
  ["-m state --state ,NEW", { error: "bad-value" }],
  ["-m state --state NEW,", { error: "bad-value" }],
  ["-m state --state NEW --state INVALID", { error: "duplicate-option" }],
  ["-m state wrong", { error: "bad-argument" }],
  ["-m state", { error: "missing-option" }],
]);

describe("-m state semantics (conntrack_mt, state only)", () => {
  test("NEW, INVALID and UNTRACKED first packets; inversion", () => {
    expect(verdict("-m state --state NEW", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2"))).toBe(true);
    expect(verdict("-m state ! --state NEW", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2"))).toBe(false);
    expect(verdict("-m state --state INVALID", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags RST]"))).toBe(true);
    expect(verdict("-m state --state RELATED,ESTABLISHED", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags RST]"))).toBe(false);
    expect(verdict("-m state --state UNTRACKED", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { conntrack: { state: "UNTRACKED" } }))).toBe(true);
  });
});
