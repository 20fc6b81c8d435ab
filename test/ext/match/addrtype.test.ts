import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m addrtype", [
  ["-m addrtype --dst-type LOCAL", "="],
  ["-m addrtype --src-type UNSPEC", "="],
  ["-m addrtype --src-type LOCAL --dst-type LOCAL", "="],
  ["-m addrtype --dst-type local,broadcast", "-m addrtype --dst-type LOCAL,BROADCAST"],
  ["-m addrtype --dst-type MULTICAST,LOCAL", "-m addrtype --dst-type LOCAL,MULTICAST"],
  ["-m addrtype ! --src-type LOCAL --dst-type U", "-m addrtype ! --src-type LOCAL --dst-type UNSPEC"],
  ["-m addrtype --dst-type L", "-m addrtype --dst-type LOCAL"],
  ["-m addrtype --dst-type BLACKHOLE,XRESOLVE", "="],
  ["-m addrtype --src-type LOCAL --limit-iface-in", "="],
  ["-m addrtype --dst-type LOCAL --limit-iface-in", "="],
  ["-m addrtype --dst-type LOCALX", { error: "bad-value" }],
  ["-m addrtype --src-type wrong", { error: "bad-value" }],
  ["-m addrtype --dst-type ,LOCAL", { error: "bad-value" }],
  ["-m addrtype --dst-type LOCAL,", { error: "bad-value" }],
  ["-m addrtype --src-type LOCAL --dst-type UNICAST ! --dst-type LOCAL", { error: "duplicate-option" }],
  ["-m addrtype --src-type LOCAL --limit-iface-in --limit-iface-out", { error: "conflicting-options" }],
  ["-m addrtype --limit-iface-in", { error: "missing-option" }],
  ["-m addrtype", { error: "missing-option" }],
  ["-m addrtype --src-type LOCAL --limit-iface-out", { error: "bad-hook" }],
]);
ruleCases(
  "-m addrtype in OUTPUT",
  [
    ["-m addrtype --src-type LOCAL --limit-iface-out", "="],
    ["-m addrtype --src-type LOCAL --limit-iface-in", { error: "bad-hook" }],
  ],
  { chain: "OUTPUT" },
);
ruleCases(
  "-m addrtype (IPv6)",
  [
    ["-m addrtype --dst-type LOCAL,ANYCAST,MULTICAST,UNSPEC,UNICAST", "-m addrtype --dst-type UNSPEC,UNICAST,LOCAL,ANYCAST,MULTICAST"],
    ["-m addrtype --dst-type UNREACHABLE", "="],
    ["-m addrtype --dst-type BROADCAST", { error: "bad-value" }],
    ["-m addrtype --dst-type BLACKHOLE", { error: "bad-value" }],
    ["-m addrtype --dst-type PROHIBIT", { error: "bad-value" }],
    ["-m addrtype --dst-type THROW", { error: "bad-value" }],
    ["-m addrtype --dst-type NAT", { error: "bad-value" }],
    ["-m addrtype --dst-type XRESOLVE", { error: "bad-value" }],
  ],
  { family: "ipv6" },
);

describe("-m addrtype semantics (addrtype_mt_v1)", () => {
  const addressTypes = { "10.0.0.1": "LOCAL", "10.0.0.1%eth1": "UNICAST", "2001:db8::1": "LOCAL" } as const;
  const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { hook: "PREROUTING", table: "nat", in: "eth0", addressTypes });
  test("types of source and destination, each inverted on its own", () => {
    expect(verdict("-m addrtype --dst-type LOCAL", env)).toBe(true);
    expect(verdict("-m addrtype ! --dst-type LOCAL", env)).toBe(false);
    expect(verdict("-m addrtype --src-type UNICAST,BROADCAST ! --dst-type MULTICAST", env)).toBe(true);
    expect(verdict("-m addrtype ! --src-type UNICAST --dst-type LOCAL", env)).toBe(false);
  });
  test("--limit-iface-in looks the address up through the input interface", () => {
    expect(verdict("-m addrtype --dst-type LOCAL --limit-iface-in", env)).toBe(true);
    expect(verdict("-m addrtype --dst-type LOCAL --limit-iface-in", { ...env, inInterface: "eth1" })).toBe(false);
  });
  test("IPv6: address classes from the address, LOCAL from the lookup", () => {
    const v6 = envOf("udp [::]:1 -> [2001:db8::1]:2", { addressTypes });
    expect(verdict("-m addrtype --src-type UNSPEC --dst-type LOCAL", v6)).toBe(true);
    expect(verdict("-m addrtype --dst-type UNICAST", v6)).toBe(true);
    expect(verdict("-m addrtype --src-type UNICAST", v6)).toBe(false);
    expect(verdict("-m addrtype --dst-type MULTICAST", envOf("udp [2001:db8::2]:1 -> [ff02::1]:2"))).toBe(true);
  });
});
