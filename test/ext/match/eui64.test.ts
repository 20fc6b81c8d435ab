import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m eui64", [["-m eui64", "="]], { family: "ipv6" });
ruleCases("-m eui64 in FORWARD", [["-m eui64", "="]], { family: "ipv6", chain: "FORWARD" });
ruleCases("-m eui64 in OUTPUT", [["-m eui64", { error: "bad-hook" }]], { family: "ipv6", chain: "OUTPUT" });

describe("-m eui64 semantics (eui64_mt6)", () => {
  const packet = "udp [fe80::211:22ff:fe33:4455]:1 -> [fe80::1]:2";
  test("the source's interface identifier against the source MAC", () => {
    expect(ruleMatch("-m eui64", matchEnvB({ packet, sourceMac: "00:11:22:33:44:55" }))).toBe(true);
    expect(ruleMatch("-m eui64", matchEnvB({ packet, sourceMac: "00:11:22:33:44:56" }))).toBe(false);
  });
  test("no MAC given: unknown", () => {
    expect(ruleMatch("-m eui64", matchEnvB({ packet }))).toEqual({ unknown: expect.stringContaining("MAC") });
  });
});
