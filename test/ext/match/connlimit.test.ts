import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m connlimit", [
  ["-m connlimit --connlimit-above 6298 --connlimit-mask 32 --connlimit-saddr", "="],
  ["-m connlimit --connlimit-above 2", "-m connlimit --connlimit-above 2 --connlimit-mask 32 --connlimit-saddr"],
  ["-m connlimit --connlimit-upto 2 --connlimit-daddr", "-m connlimit --connlimit-upto 2 --connlimit-mask 32 --connlimit-daddr"],
  ["-m connlimit ! --connlimit-upto 2", "-m connlimit --connlimit-above 2 --connlimit-mask 32 --connlimit-saddr"],
  ["-m connlimit ! --connlimit-above 2 --connlimit-mask 24", "-m connlimit --connlimit-upto 2 --connlimit-mask 24 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 2 --connlimit-mask 255.255.0.0", "-m connlimit --connlimit-above 2 --connlimit-mask 16 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 2 --connlimit-mask 255.0.255.0", "-m connlimit --connlimit-above 2 --connlimit-mask 32 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 2 --connlimit-mask 33", "-m connlimit --connlimit-above 2 --connlimit-mask 32 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 2 --connlimit-mask 0", "-m connlimit --connlimit-above 2 --connlimit-mask 0 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 2 --connlimit-mask 0x10", "-m connlimit --connlimit-above 2 --connlimit-mask 16 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 4294967295", "-m connlimit --connlimit-above 4294967295 --connlimit-mask 32 --connlimit-saddr"],
  ["-m connlimit --connlimit-above 2 --connlimit-saddr --connlimit-daddr", { error: "conflicting-options" }],
  ["-m connlimit --connlimit-above 2 --connlimit-upto 3", { error: "conflicting-options" }],
  ["-m connlimit", { error: "missing-option" }],
  ["-m connlimit --connlimit-above 2 --connlimit-mask foo", { error: "bad-value" }],
]);

ruleCases(
  "-m connlimit (IPv6)",
  [
    ["-m connlimit --connlimit-above 2", "-m connlimit --connlimit-above 2 --connlimit-mask 128 --connlimit-saddr"],
    ["-m connlimit --connlimit-above 2 --connlimit-mask 64", "-m connlimit --connlimit-above 2 --connlimit-mask 64 --connlimit-saddr"],
    ["-m connlimit --connlimit-above 2 --connlimit-mask ffff::", "-m connlimit --connlimit-above 2 --connlimit-mask 16 --connlimit-saddr"],
  ],
  { family: "ipv6" },
);

describe("-m connlimit semantics (connlimit_mt)", () => {
  test("the packet's own connection counts: limit 0 is decided", () => {
    expect(ruleMatch("-m connlimit --connlimit-above 0", matchEnvB())).toBe(true);
    expect(ruleMatch("-m connlimit --connlimit-upto 0", matchEnvB())).toBe(false);
    expect(ruleMatch("-m connlimit ! --connlimit-upto 0", matchEnvB())).toBe(true);
  });
  test("other limits are unknown", () => {
    expect(ruleMatch("-m connlimit --connlimit-above 3 --connlimit-mask 24", matchEnvB())).toEqual({ unknown: expect.stringContaining("/24") });
  });
});
