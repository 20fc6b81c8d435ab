import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against ip6tables-save 1.8.9 (nf_tables) with ipt-canon -6.
ruleCases(
  "-m icmp6",
  [
    ["-p ipv6-icmp -m icmp6 --icmpv6-type 1/0", "="],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type 2", "="],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type 255", "="],
    ["-p 58 -m icmp6 --icmpv6-type 2", "-p ipv6-icmp -m icmp6 --icmpv6-type 2"],
    ["-p icmpv6 -m icmp6 --icmpv6-type 137", "-p ipv6-icmp -m icmp6 --icmpv6-type 137"],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type echo-request", "-p ipv6-icmp -m icmp6 --icmpv6-type 128"],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type 1/0:255", "-p ipv6-icmp -m icmp6 --icmpv6-type 1"],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type neighbor-solicitation", "-p ipv6-icmp -m icmp6 --icmpv6-type 135"],
    ["-p ipv6-icmp -m icmp6 ! --icmpv6-type port-unreachable", "-p ipv6-icmp -m icmp6 ! --icmpv6-type 1/4"],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type neigh", { error: "bad-value" }],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type any", { error: "bad-value" }],
    ["-p ipv6-icmp -m icmp6 --icmpv6-type no-route --icmpv6-type packet-too-big", { error: "duplicate-option" }],
    ["-m icmp6 --icmpv6-type 2", { error: "missing-protocol" }],
    ["-p ipv6-icmp -m icmp6", { error: "missing-option" }],
  ],
  { family: "ipv6" },
);

describe("-m icmp6 semantics (icmp6_match)", () => {
  test("type, code and inversion", () => {
    const env = envOf("icmpv6 2001:db8::2 -> 2001:db8::1 [type 135]");
    expect(verdict("-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation", env)).toBe(true);
    expect(verdict("-p ipv6-icmp -m icmp6 ! --icmpv6-type 135", env)).toBe(false);
    expect(verdict("-p ipv6-icmp -m icmp6 --icmpv6-type 135/1", env)).toBe(false);
  });
});
