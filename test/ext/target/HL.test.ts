import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j HL",
  [
    ["-j HL --hl-set 42", "="],
    ["-j HL --hl-inc 1", "="],
    ["-j HL --hl-dec 1", "="],
    ["-j HL --hl-set 256", { error: "bad-value" }],
    ["-j HL --hl-inc 0", { error: "bad-value" }],
    ["-j HL --hl-dec 1 --hl-inc 1", { error: "conflicting-options" }],
    ["-j HL", { error: "missing-option" }],
  ],
  { table: "mangle", chain: "FORWARD", family: "ipv6" },
);
ruleCases("-j HL outside mangle", [["-j HL --hl-set 1", { error: "bad-table" }]], { table: "raw", family: "ipv6" });

describe("-j HL semantics (hl_tg6)", () => {
  test("rewrites the hop limit", () => {
    const env = targetEnv({ packet: "udp [2001:db8::2]:1 -> [2001:db8::1]:2 [ttl 64]" });
    const result = afterContinue(applyRule("-j HL --hl-dec 1", env), env);
    expect(result.packet.ttl).toBe(63);
    expect(result.note).toBe("HL: hop limit 64 → 63");
  });
});
