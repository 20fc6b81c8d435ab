import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m statistic", [
  ["-m statistic --mode random --probability 0.50000000000", "="],
  ["-m statistic --mode random --probability 0.5", "-m statistic --mode random --probability 0.50000000000"],
  ["-m statistic --mode random ! --probability 0.50000000000", "="],
  ["-m statistic --mode random --probability 0.000244140625", "-m statistic --mode random --probability 0.00024414062"],
  ["-m statistic --mode random --probability 0.1", "-m statistic --mode random --probability 0.10000000009"],
  ["-m statistic --mode random --probability 0.33333333333333", "-m statistic --mode random --probability 0.33333333349"],
  ["-m statistic --mode random --probability 0.99999999999", "-m statistic --mode random --probability 1.00000000000"],
  ["-m statistic --mode random --probability 1", "-m statistic --mode random --probability 1.00000000000"],
  ["-m statistic --mode random --probability 0", "-m statistic --mode random --probability 0.00000000000"],
  ["-m statistic --mode random --probability -0", "-m statistic --mode random --probability 0.00000000000"],
  ["-m statistic --mode random --probability 1e-1", "-m statistic --mode random --probability 0.10000000009"],
  ["-m statistic --mode random --probability .25", "-m statistic --mode random --probability 0.25000000000"],
  ["-m statistic --mode random --probability 0x1p-1", "-m statistic --mode random --probability 0.50000000000"],
  ["-m statistic --probability 0.5 --mode random", "-m statistic --mode random --probability 0.50000000000"],
  ["-m statistic --mode nth ! --every 5 --packet 2", "="],
  ["-m statistic --mode nth --every 5 --packet 0", "="],
  ["-m statistic --mode nth --every 1 --packet 0", "="],
  ["-m statistic --mode nth --every 4294967295 --packet 4294967294", "="],
  ["-m statistic --mode random --probability 1.1", { error: "bad-value" }],
  ["-m statistic --mode random --probability 0.5x", { error: "bad-value" }],
  ["-m statistic --mode random", { error: "missing-option" }],
  ["-m statistic --probability 1", { error: "missing-option" }],
  ["-m statistic", { error: "missing-option" }],
  ["-m statistic --mode nth --every 5", { error: "missing-option" }],
  ["-m statistic --mode nth --probability 0.5", { error: "missing-option" }],
  ["-m statistic --mode random --every 2 --packet 1", { error: "missing-option" }],
  ["-m statistic --mode nth --every 5 --packet 5", { error: "bad-value" }],
  ["-m statistic --mode nth --every 0 --packet 0", { error: "bad-value" }],
  ["-m statistic --mode nth --every 4294967296 --packet 1", { error: "bad-value" }],
  ["-m statistic --mode random --probability 0.5 --every 2 --packet 1", { error: "conflicting-options" }],
  ["-m statistic --mode foo --every 2 --packet 1", { error: "bad-value" }],
  ["-m statistic --mode Random --probability 0.5", { error: "bad-value" }],
  ["-m statistic ! --mode nth --every 2 --packet 1", { error: "bad-negation" }],
  ["-m statistic --mode nth --every 2 ! --packet 1", { error: "bad-negation" }],
  ["-m statistic --mode random --probability 0.5 --mode nth", { error: "duplicate-option" }],
]);

describe("-m statistic semantics (statistic_mt)", () => {
  const env = matchEnvB();
  test("random: the chance is the kernel's 31-bit value over 2^31", () => {
    expect(ruleMatch("-m statistic --mode random --probability 0.25", env)).toEqual({ unknown: expect.any(String), probability: 0.25 });
    // kube-proxy's 1/3: lround(2^31 / 3) = 715827883
    expect(ruleMatch("-m statistic --mode random --probability 0.33333333349", env)).toEqual({ unknown: expect.any(String), probability: 715827883 / 2 ** 31 });
    expect(ruleMatch("-m statistic --mode random ! --probability 0.25", env)).toEqual({ unknown: expect.any(String), probability: 0.75 });
  });
  test("random: 0 and 1 are certain", () => {
    expect(ruleMatch("-m statistic --mode random --probability 0", env)).toBe(false);
    expect(ruleMatch("-m statistic --mode random --probability 1", env)).toBe(true);
    expect(ruleMatch("-m statistic --mode random ! --probability 1", env)).toBe(false);
  });
  test("nth depends on the rule's counter", () => {
    expect(ruleMatch("-m statistic --mode nth --every 2 --packet 0", env)).toEqual({ unknown: expect.stringContaining("--every 2") });
  });
});
