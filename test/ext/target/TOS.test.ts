import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-j TOS",
  [
    ["-j TOS --set-tos 0x1f", "-j TOS --set-tos 0x1f/0xff"],
    ["-j TOS --set-tos 0x1f/0x1f", "="],
    ["-j TOS --set-tos 0xff", "-j TOS --set-tos 0xff/0xff"],
    ["-j TOS --set-tos 010", "-j TOS --set-tos 0x08/0xff"],
    ["-j TOS --set-tos 256", { error: "bad-value" }],
    ["-j TOS --set-tos 1/0x100", { error: "bad-value" }],
    ["-j TOS --set-tos 1/", { error: "bad-value" }],
    ["-j TOS --set-tos minimize-delay", "-j TOS --set-tos 0x10/0x3f"],
    ["-j TOS --set-tos Normal-Service", "-j TOS --set-tos 0x00/0x3f"],
    ["-j TOS --and-tos 0x12", "-j TOS --set-tos 0x00/0xed"],
    ["-j TOS --or-tos 0x12", "-j TOS --set-tos 0x12/0x12"],
    ["-j TOS --xor-tos 0x12", "-j TOS --set-tos 0x12/0x00"],
    ["-j TOS --and-tos 256", { error: "bad-value" }],
    ["-j TOS --and-tos 0x12 --or-tos 1", { error: "conflicting-options" }],
    ["-j TOS", { error: "missing-option" }],
  ],
  { table: "mangle" },
);
ruleCases("-j TOS (IPv6)", [["-j TOS --set-tos 0x10", "-j TOS --set-tos 0x10/0xff"]], { table: "mangle", family: "ipv6" });
ruleCases("-j TOS outside mangle", [["-j TOS --set-tos 1", { error: "bad-table" }]]);

describe("-j TOS semantics (tos_tg: (tos & ~mask) ^ value)", () => {
  test.each([
    ["--set-tos 0x10", 0xff, 0x10],
    ["--set-tos Minimize-Delay", 0xe3, 0xd0],
    ["--and-tos 0x0f", 0xff, 0x0f],
    ["--or-tos 0x10", 0x01, 0x11],
    ["--xor-tos 0x11", 0x01, 0x10],
  ])("%s on 0x%s", (args, before, after) => {
    const env = targetEnv({ packet: `udp 10.0.0.2:1 -> 10.0.0.1:2 [tos ${before}]` });
    expect(afterContinue(applyRule(`-j TOS ${args}`, env), env).packet.tos).toBe(after);
  });
});
