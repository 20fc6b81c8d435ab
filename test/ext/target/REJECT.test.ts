import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j REJECT", [
  ["-j REJECT", "-j REJECT --reject-with icmp-port-unreachable"],
  ["-j REJECT --reject-with icmp-net-unreachable", "="],
  ["-j REJECT --reject-with icmp-host-unreachable", "="],
  ["-j REJECT --reject-with icmp-port-unreachable", "="],
  ["-j REJECT --reject-with icmp-proto-unreachable", "="],
  ["-j REJECT --reject-with icmp-net-prohibited", "="],
  ["-j REJECT --reject-with icmp-host-prohibited", "="],
  ["-j REJECT --reject-with icmp-admin-prohibited", "="],
  ["-j REJECT --reject-with host-prohib", "-j REJECT --reject-with icmp-host-prohibited"],
  ["-j REJECT --reject-with ICMP-HOST-PROHIBITED", "-j REJECT --reject-with icmp-host-prohibited"],
  ["-j REJECT --reject-with icmp", "-j REJECT --reject-with icmp-net-unreachable"],
  ["-j REJECT --reject-with port", "-j REJECT --reject-with icmp-port-unreachable"],
  ["-j REJECT --reject-with icmp6-port-unreachable", { error: "bad-value" }],
  ["-j REJECT --reject-with echo-reply", { error: "bad-value" }],
  ["-p tcp -j REJECT --reject-with tcp-reset", "="],
  ["-p tcp -j REJECT --reject-with tcp-rst", "-p tcp -j REJECT --reject-with tcp-reset"],
  ["-j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ["! -p tcp -j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ["-p udp -j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ["-j REJECT --reject-with icmp-port-unreachable --reject-with icmp-port-unreachable", { error: "duplicate-option" }],
]);

ruleCases("-j REJECT in FORWARD", [["-j REJECT --reject-with icmp-port-unreachable", "="]], { chain: "FORWARD" });
ruleCases("-j REJECT outside filter", [["-j REJECT", { error: "bad-table" }]], { table: "mangle", chain: "INPUT" });
ruleCases("-j REJECT in a user chain", [["-j REJECT", "-j REJECT --reject-with icmp-port-unreachable"]], { chain: "USERCHAIN" });

ruleCases(
  "-j REJECT (IPv6)",
  [
    ["-j REJECT", "-j REJECT --reject-with icmp6-port-unreachable"],
    ["-j REJECT --reject-with icmp6-no-route", "="],
    ["-j REJECT --reject-with icmp6-adm-prohibited", "="],
    ["-j REJECT --reject-with icmp6-addr-unreachable", "="],
    ["-j REJECT --reject-with icmp6-port-unreachable", "="],
    ["-j REJECT --reject-with icmp6-policy-fail", "="],
    ["-j REJECT --reject-with icmp6-reject-route", "="],
    ["-j REJECT --reject-with adm-prohibited", "-j REJECT --reject-with icmp6-adm-prohibited"],
    ["-j REJECT --reject-with icmp6", "-j REJECT --reject-with icmp6-no-route"],
    ["-j REJECT --reject-with icmp-port-unreachable", { error: "bad-value" }],
    ["-p tcp -j REJECT --reject-with tcp-reset", "="],
    ["-j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ],
  { family: "ipv6" },
);

describe("-j REJECT semantics (reject_tg)", () => {
  const filter = { table: "filter", hook: "INPUT" } as const;
  test.each([
    ["-j REJECT", "icmp-port-unreachable: ICMP destination unreachable (type 3 code 3)"],
    ["-j REJECT --reject-with icmp-host-prohibited", "icmp-host-prohibited: ICMP destination unreachable (type 3 code 10)"],
    ["-j REJECT --reject-with icmp-admin-prohibited", "icmp-admin-prohibited: ICMP destination unreachable (type 3 code 13)"],
    ["-j REJECT --reject-with icmp-net-prohibited", "icmp-net-prohibited: ICMP destination unreachable (type 3 code 9)"],
    ["-p tcp -j REJECT --reject-with tcp-reset", "tcp-reset: a TCP RST"],
  ])("%s", (args, reply) => {
    expect(applyRule(args, targetEnv(filter))).toEqual({ kind: "reject", reply });
  });
  test("no answer to a RST, an ICMP error, a later fragment, a broadcast", () => {
    const rst = targetEnv({ ...filter, packet: "tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags RST]" });
    expect(applyRule("-p tcp -j REJECT --reject-with tcp-reset", rst)).toEqual({ kind: "reject", reply: "tcp-reset: no answer (no RST answers a RST); the packet is dropped" });
    const error = targetEnv({ ...filter, packet: "icmp 10.0.0.2 -> 10.0.0.1 [type 3] [code 1]" });
    expect(applyRule("-j REJECT", error)).toEqual({ kind: "reject", reply: "icmp-port-unreachable: no answer (no ICMP error answers an ICMP error); the packet is dropped" });
    const fragment = targetEnv({ ...filter, packet: "udp 10.0.0.2:1 -> 10.0.0.1:2 [frag 10]" });
    expect(applyRule("-j REJECT", fragment)).toMatchObject({ reply: "icmp-port-unreachable: no answer (the packet is a later fragment); the packet is dropped" });
    const broadcast = targetEnv({ ...filter, packet: "udp 10.0.0.2:1 -> 10.0.0.255:2", host: { addressType: () => "BROADCAST", ipset: () => undefined } });
    expect(applyRule("-j REJECT", broadcast)).toMatchObject({ reply: "icmp-port-unreachable: no answer (no ICMP error answers a packet to a broadcast address); the packet is dropped" });
  });
  test("IPv6 codes", () => {
    const env = targetEnv({ ...filter, packet: "udp [2001:db8::2]:1 -> [2001:db8::1]:2" });
    expect(applyRule("-j REJECT --reject-with icmp6-adm-prohibited", env)).toEqual({ kind: "reject", reply: "icmp6-adm-prohibited: ICMPv6 destination unreachable (type 1 code 1)" });
    expect(applyRule("-j REJECT", env)).toEqual({ kind: "reject", reply: "icmp6-port-unreachable: ICMPv6 destination unreachable (type 1 code 4)" });
  });
});
