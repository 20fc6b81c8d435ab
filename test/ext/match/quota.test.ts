import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m quota", [
  ["-m quota --quota 1000", "="],
  ["-m quota ! --quota 5", "="],
  ["-m quota --quota 18446744073709551615", "="],
  ["-m quota --quota 18446744073709551616", { error: "bad-value" }],
  ["-m quota", { error: "missing-option" }],
]);

describe("-m quota semantics (quota_mt)", () => {
  const env = matchEnvB({ packet: "udp 10.0.0.2:1 -> 10.0.0.1:2 [length 100]" });
  test("a packet longer than the whole quota never fits", () => {
    expect(ruleMatch("-m quota --quota 99", env)).toBe(false);
    expect(ruleMatch("-m quota ! --quota 99", env)).toBe(true);
  });
  test("otherwise it depends on the bytes counted before", () => {
    expect(ruleMatch("-m quota --quota 100", env)).toEqual({ unknown: expect.stringContaining("--quota 100") });
  });
});
