import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-m socket",
  [
    ["-m socket", "="],
    ["-m socket --transparent", "="],
    ["-m socket --nowildcard --restore-skmark", "="],
    ["-m socket --restore-skmark --transparent --nowildcard", "-m socket --transparent --nowildcard --restore-skmark"],
    ["-m socket ! --transparent", { error: "bad-negation" }],
  ],
  { table: "mangle" },
);
ruleCases("-m socket in FORWARD", [["-m socket", { error: "bad-hook" }]], { chain: "FORWARD" });

describe("-m socket semantics", () => {
  test("depends on the host's sockets", () => {
    expect(ruleMatch("-m socket --transparent", matchEnvB())).toEqual({ unknown: expect.stringContaining("sockets") });
  });
});
