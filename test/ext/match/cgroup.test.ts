import { describe, expect, test } from "vitest";
import { localEnvB, matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-m cgroup",
  [
    ["-m cgroup --cgroup 1", "="],
    ["-m cgroup ! --cgroup 0x10", "-m cgroup ! --cgroup 16"],
    ['-m cgroup --path "/"', "="],
    ["-m cgroup --path / --cgroup 1", { error: "conflicting-options" }],
    ["-m cgroup", { error: "missing-option" }],
  ],
  { chain: "OUTPUT" },
);
ruleCases("-m cgroup in INPUT", [["-m cgroup --cgroup 1", "="]], { chain: "INPUT" });

describe("-m cgroup semantics (cgroup_mt_v1)", () => {
  test("no socket: no match, negated or not", () => {
    const forwarded = matchEnvB({ hook: "POSTROUTING", table: "mangle", outInterface: "eth1" });
    expect(ruleMatch("-m cgroup ! --cgroup 1", forwarded)).toBe(false);
  });
  test("a socket's cgroup is unknown", () => {
    expect(ruleMatch("-m cgroup --cgroup 1", localEnvB())).toEqual({ unknown: expect.stringContaining("cgroup") });
  });
});
