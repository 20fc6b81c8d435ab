import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j NFQUEUE", [
  ["-j NFQUEUE", "-j NFQUEUE --queue-num 0"],
  ["-j NFQUEUE --queue-num 0", "="],
  ["-j NFQUEUE --queue-num 65535", "="],
  ["-j NFQUEUE --queue-num 65536", { error: "bad-value" }],
  ["-j NFQUEUE --queue-num -1", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance 0:65534", "="],
  ["-j NFQUEUE --queue-balance 0:65535", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance :", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance 4:", "-j NFQUEUE --queue-balance 4:65535"],
  ["-j NFQUEUE --queue-balance 65534:65535", "="],
  ["-j NFQUEUE --queue-balance :5", "-j NFQUEUE --queue-balance 0:5"],
  ["-j NFQUEUE --queue-balance 3:3", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance 5", { error: "bad-value" }],
  ["-j NFQUEUE --queue-num 10 --queue-bypass", "="],
  ["-j NFQUEUE --queue-balance 0:6 --queue-cpu-fanout --queue-bypass", "-j NFQUEUE --queue-balance 0:6 --queue-bypass --queue-cpu-fanout"],
  ["-j NFQUEUE --queue-bypass", "-j NFQUEUE --queue-num 0 --queue-bypass"],
  ["-j NFQUEUE --queue-cpu-fanout", { error: "missing-option" }],
  ["-j NFQUEUE --queue-num 1 --queue-balance 2:3", { error: "conflicting-options" }],
]);

describe("-j NFQUEUE semantics (nfqueue_tg_v3)", () => {
  const env = targetEnv({ table: "filter", hook: "INPUT" });
  test("a userspace program decides", () => {
    expect(applyRule("-j NFQUEUE --queue-num 3", env)).toEqual({
      kind: "queue",
      description: "NFQUEUE hands the packet to a userspace program on queue 3, whose verdict nfwalk cannot know; with no program listening it is dropped",
    });
  });
  test("--queue-bypass: accepted without a listener; balanced queues", () => {
    expect(applyRule("-j NFQUEUE --queue-balance 0:3 --queue-bypass", env)).toEqual({
      kind: "queue",
      description:
        "NFQUEUE hands the packet to a userspace program on queues 0-3 (by flow hash), whose verdict nfwalk cannot know; with no program listening it is accepted as if by ACCEPT (--queue-bypass)",
    });
  });
});
