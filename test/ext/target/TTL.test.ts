import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j TTL",
  [
    ["-j TTL --ttl-set 42", "="],
    ["-j TTL --ttl-inc 1", "="],
    ["-j TTL --ttl-dec 1", "="],
    ["-j TTL --ttl-set 0", "="],
    ["-j TTL --ttl-set 0x40", "-j TTL --ttl-set 64"],
    ["-j TTL --ttl-set 256", { error: "bad-value" }],
    ["-j TTL --ttl-inc 0", { error: "bad-value" }],
    ["-j TTL --ttl-dec 0", { error: "bad-value" }],
    ["-j TTL --ttl-dec 1 --ttl-inc 1", { error: "conflicting-options" }],
    ["-j TTL", { error: "missing-option" }],
  ],
  { table: "mangle", chain: "POSTROUTING" },
);
ruleCases("-j TTL outside mangle", [["-j TTL --ttl-set 1", { error: "bad-table" }]], { table: "filter" });

describe("-j TTL semantics (ttl_tg)", () => {
  test.each([
    ["--ttl-set 5", 64, 5],
    ["--ttl-inc 10", 64, 74],
    ["--ttl-inc 10", 250, 255],
    ["--ttl-dec 10", 64, 54],
    ["--ttl-dec 10", 3, 0],
  ])("%s on TTL %i", (args, before, after) => {
    const env = targetEnv({ packet: `udp 10.0.0.2:1 -> 10.0.0.1:2 [ttl ${before}]` });
    const result = afterContinue(applyRule(`-j TTL ${args}`, env), env);
    expect(result.packet.ttl).toBe(after);
    expect(result.note).toBe(`TTL: TTL ${before} → ${after}`);
  });
});
