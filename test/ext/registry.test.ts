/** Extensions by name and family, as libxtables finds them. */
import { expect, test } from "vitest";
import { findMatch, findTarget, isKnownTargetName, isOtherFamilyMatch } from "../../src/ext/registry.js";
import { MATCH_EXTENSIONS } from "../../src/ext/match/index.js";
import { TARGET_EXTENSIONS } from "../../src/ext/target/index.js";

test("every extension is found by its name in each of its families, and by no other name", () => {
  for (const family of ["ipv4", "ipv6"] as const) {
    for (const e of MATCH_EXTENSIONS) if (!e.families || e.families.includes(family)) expect(findMatch(e.name, family)?.name).toBe(e.name);
    for (const e of TARGET_EXTENSIONS) if (!e.families || e.families.includes(family)) expect(findTarget(e.name, family)?.name).toBe(e.name);
  }
  expect(["", "TCP", "tcpx", "tc", "comment ", "KUBE-SEP-ABCDEFGHIJKLMNOP"].map((name) => findMatch(name, "ipv4"))).toEqual(Array(6).fill(undefined));
  expect(["", "dnat", "DNATX", "KUBE-MARK-MASQ"].map((name) => findTarget(name, "ipv4"))).toEqual(Array(4).fill(undefined));
});

test("the ICMPv6 match answers to three names, in ip6tables only; -m icmp is iptables'", () => {
  expect(["icmp6", "icmpv6", "ipv6-icmp"].map((name) => findMatch(name, "ipv6")?.name)).toEqual(["icmp6", "icmp6", "icmp6"]);
  expect(["icmp6", "icmpv6", "ipv6-icmp"].map((name) => findMatch(name, "ipv4"))).toEqual([undefined, undefined, undefined]);
  expect([isOtherFamilyMatch("icmpv6", "ipv4"), isOtherFamilyMatch("icmp", "ipv6"), isOtherFamilyMatch("tcp", "ipv6")]).toEqual([true, true, false]);
});

test("target names iptables knows, modelled or not; chain names are none of them", () => {
  expect(["TPROXY", "TCPOPTSTRIP", "CLASSIFY", "TARPIT", "MIRROR"].map(isKnownTargetName)).toEqual([true, true, true, true, true]);
  expect(["KUBE-SEP-ABCDEFGHIJKLMNOP", "tproxy", "TPROX", "", "DOCKER"].map(isKnownTargetName)).toEqual([false, false, false, false, false]);
});
