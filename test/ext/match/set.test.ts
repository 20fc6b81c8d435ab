import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables), with the
// sets created by ipset first: nfwalk itself loads them without definitions.
ruleCases("-m set", [
  ["-m set --match-set foo src", "="],
  ["-m set ! --match-set foo dst,src", "="],
  ["-m set --match-set KUBE-LOOP-BACK dst,dst,src", "="],
  ["-m set --match-set weave-;rGqyMIl1HN^cfDki~Z$3]6!N dst", "="],
  ['-m set --match-set "weave-;rGqyMIl1HN^cfDki~Z$3]6!N" dst', "-m set --match-set weave-;rGqyMIl1HN^cfDki~Z$3]6!N dst"],
  ["-m set --set foo src", "-m set --match-set foo src"],
  ["-m set --match-set foo srcx", "-m set --match-set foo src"],
  ["-m set --match-set foo src,dst,src,dst,src,dst", "="],
  [
    "-m set --match-set foo src --return-nomatch ! --update-counters ! --update-subcounters --packets-eq 5 --bytes-gt 0x10",
    "-m set --match-set foo src --return-nomatch ! --update-counters ! --update-subcounters --packets-eq 5 --bytes-gt 16",
  ],
  ["-m set --match-set foo src --update-counters --update-subcounters", "-m set --match-set foo src"],
  ["-m set --match-set foo src ! --packets-eq 5 ! --bytes-eq 7", "="],
  ["-m set --bytes-lt 18446744073709551615 --match-set foo src", "-m set --match-set foo src --bytes-lt 18446744073709551615"],
  ["-m set --match-set foo src --packets-lt 1 --bytes-eq 2 --return-nomatch", "-m set --match-set foo src --return-nomatch --packets-lt 1 --bytes-eq 2"],
  ["-m set --match-set foo src,dst,src,dst,src,dst,src", { error: "bad-value" }],
  ["-m set --match-set foo dst,", { error: "bad-value" }],
  ["-m set --match-set foo sr", { error: "bad-value" }],
  ["-m set --match-set foo", { error: "missing-argument" }],
  ["-m set --match-set foo -x", { error: "missing-argument" }],
  ["-m set --match-set foo !x", { error: "missing-argument" }],
  ["-m set --match-set foo src ! --packets-gt 5", { error: "bad-negation" }],
  ["-m set --match-set foo src ! --return-nomatch", { error: "bad-negation" }],
  ["-m set --match-set foo src --packets-eq 1 --packets-lt 3", { error: "conflicting-options" }],
  ["-m set --match-set foo src --bytes-lt 18446744073709551616", { error: "bad-value" }],
  ["-m set --match-set foo src --bytes-lt -1", { error: "bad-value" }],
  ["-m set", { error: "missing-option" }],
  ["-m set --match-set foo src --match-set foo dst", { error: "duplicate-option" }],
  ["-m set --match-set abcdefghijklmnopqrstuvwxyz012345 src", { error: "bad-value" }],
]);

describe("-m set semantics", () => {
  test("unknown, naming the set", () => {
    expect(ruleMatch("-m set --match-set blocked src", matchEnvB())).toEqual({ unknown: expect.stringContaining('ipset "blocked"') });
    expect(ruleMatch("-m set ! --match-set blocked src,dst --packets-gt 5", matchEnvB())).toEqual({ unknown: expect.stringContaining("its counters") });
  });
});
