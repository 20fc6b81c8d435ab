import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m limit", [
  ["-m limit --limit 1/sec", "="],
  ["-m limit --limit 1/min", "="],
  ["-m limit --limit 1000/hour", "="],
  ["-m limit --limit 1000/day", "="],
  ["-m limit --limit 3/min --limit-burst 10", "="],
  ["-m limit --limit 10000/sec --limit-burst 100", "="],
  ["-m limit --limit 7/min", "="],
  ["-m limit --limit 13/hour", "="],
  ["-m limit --limit 90/hour", "="],
  ["-m limit --limit 2/day", "="],
  ["-m limit --limit 5/min --limit-burst 5", "-m limit --limit 5/min"],
  ["-m limit", "-m limit --limit 3/hour"],
  ["-m limit --limit 7", "-m limit --limit 7/sec"],
  ["-m limit --limit 7/s", "-m limit --limit 7/sec"],
  ["-m limit --limit 7/M", "-m limit --limit 7/min"],
  ["-m limit --limit 1/d", "-m limit --limit 1/day"],
  ["-m limit --limit 3x/min", "-m limit --limit 3/min"],
  ["-m limit --limit-burst 0", "-m limit --limit 3/hour"],
  ["-m limit --limit-burst 0x10", "-m limit --limit 3/hour --limit-burst 16"],
  ["-m limit --limit-burst 1 --limit 1/sec", "-m limit --limit 1/sec --limit-burst 1"],
  ["-m limit --limit 7/hours", { error: "bad-value" }],
  ["-m limit --limit 10001/sec", { error: "bad-value" }],
  ["-m limit --limit 0/sec", { error: "bad-value" }],
  ["-m limit --limit abc", { error: "bad-value" }],
  ["-m limit --limit 5/x", { error: "bad-value" }],
  ["-m limit --limit 5/", { error: "bad-value" }],
  ["-m limit --limit 0x10/sec", { error: "bad-value" }],
  ["-m limit ! --limit 5/sec", { error: "bad-negation" }],
  ["-m limit --limit-burst 10001", { error: "bad-value" }],
  ["-m limit --limit 3/sec --limit 4/sec", { error: "duplicate-option" }],
]);

describe("-m limit semantics", () => {
  test("depends on the token bucket: unknown, saying the first packets match", () => {
    const r = ruleMatch("-m limit --limit 1/sec --limit-burst 3", matchEnvB());
    expect(r).toEqual({ unknown: expect.stringContaining("the first 3 after loading always match") });
  });
});
