import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-m mh",
  [
    ["-p mh -m mh --mh-type 1", "-p mobility-header -m mh --mh-type 1"],
    ["-p ipv6-mh -m mh ! --mh-type binding-update", "-p mobility-header -m mh ! --mh-type 5"],
    ["-p mh -m mh --mh-type 1:5", "-p mobility-header -m mh --mh-type 1:5"],
    ["-p mh -m mh --mh-type 4:3", { error: "bad-value" }],
    ["-p mh -m mh", "-p mobility-header -m mh"],
    ["-p 135 -m mh --mh-type 4:", "-p mobility-header -m mh --mh-type 4:255"],
    ["-m mh --mh-type 1", { error: "bad-protocol" }],
  ],
  { family: "ipv6" },
);

describe("-m mh semantics (mh_mt6)", () => {
  test("the type is not described: unknown", () => {
    expect(ruleMatch("-p mh -m mh --mh-type 5", matchEnvB({ packet: "135 2001:db8::2 -> 2001:db8::1" }))).toEqual({ unknown: expect.any(String) });
  });
});
