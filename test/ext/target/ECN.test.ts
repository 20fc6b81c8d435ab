import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-j ECN",
  [
    ["-p tcp -j ECN --ecn-tcp-remove", "="],
    ["-j ECN --ecn-tcp-remove", { error: "missing-protocol" }],
    ["-p tcp -j ECN", { error: "missing-option" }],
    ["-p tcp -j ECN --ecn-tcp-cwr 1", "="],
    ["-p tcp -j ECN --ecn-tcp-ece 0", "="],
    ["-p tcp -j ECN --ecn-ip-ect 1", "="],
    ["-p tcp -j ECN --ecn-ip-ect 4", { error: "bad-value" }],
    ["-p tcp -j ECN --ecn-tcp-cwr 2", { error: "bad-value" }],
    ["-p tcp -j ECN --ecn-tcp-remove --ecn-ip-ect 2", "-p tcp -j ECN --ecn-tcp-ece 0 --ecn-tcp-cwr 0 --ecn-ip-ect 2"],
    ["-p tcp -j ECN --ecn-tcp-remove --ecn-tcp-cwr 1", { error: "conflicting-options" }],
  ],
  { table: "mangle" },
);

describe("-j ECN semantics (ecn_tg)", () => {
  test("clears ECE and CWR, sets the ECT codepoint", () => {
    const env = targetEnv({ packet: "tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags SYN,ECE,CWR] [tos 0x10]" });
    const { packet, note } = afterContinue(applyRule("-p tcp -j ECN --ecn-tcp-remove --ecn-ip-ect 2", env), env);
    expect(packet.tos).toBe(0x12);
    expect(packet.transport).toMatchObject({ flags: 2 });
    expect(note).toBe("ECN: TOS byte 0x10 → 0x12, TCP flags 0xc2 → 0x02");
  });
});
