import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-j DSCP",
  [
    ["-j DSCP --set-dscp 0x00", "="],
    ["-j DSCP --set-dscp 63", "-j DSCP --set-dscp 0x3f"],
    ["-j DSCP --set-dscp 64", { error: "bad-value" }],
    ["-j DSCP --set-dscp-class ef", "-j DSCP --set-dscp 0x2e"],
    ["-j DSCP --set-dscp-class AF41x", "-j DSCP --set-dscp 0x22"],
    ["-j DSCP --set-dscp-class XX", { error: "bad-value" }],
    ["-j DSCP", { error: "missing-option" }],
    ["-j DSCP --set-dscp 1 --set-dscp-class EF", { error: "conflicting-options" }],
  ],
  { table: "mangle" },
);
ruleCases("-j DSCP (IPv6)", [["-j DSCP --set-dscp 10", "-j DSCP --set-dscp 0x0a"]], { table: "mangle", family: "ipv6" });
ruleCases("-j DSCP outside mangle", [["-j DSCP --set-dscp 1", { error: "bad-table" }]]);

describe("-j DSCP semantics (dscp_tg)", () => {
  test("sets the upper six bits, keeps ECN", () => {
    const env = targetEnv({ packet: "udp 10.0.0.2:1 -> 10.0.0.1:2 [tos 0x03]" });
    const { packet, note } = afterContinue(applyRule("-j DSCP --set-dscp-class EF", env), env);
    expect(packet.tos).toBe(0xbb);
    expect(note).toBe("DSCP: TOS byte 0x03 → 0xbb");
  });
});
