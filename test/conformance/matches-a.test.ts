/**
 * Match semantics against the kernel (addrtype, conntrack, state, multiport, udp, icmp,
 * mark, iprange, length, ttl, tos, dscp, ecn, pkttype, helper, connmark): count-only rules
 * in one table, one packet, and nfwalk's whole trace must agree with the kernel's
 * counters, outcome and header. One lab.topology for the file; skips without root.
 */
import { describe, expect, test } from "vitest";
import { compare, sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import type { Origin } from "./oracle.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`match conformance tests (matches-a) skipped: ${available.reason}`);

interface MatchCase {
  readonly title: string;
  readonly table: "filter" | "nat" | "mangle";
  readonly chain: string;
  readonly origin: Origin;
  readonly packet: string;
  /** Count-only rules (no target), each counted when its matches hold. */
  readonly rules: readonly string[];
  /** Tables the case needs besides (before) its own, as dump text. */
  readonly before?: string;
}

const CHAINS: Readonly<Record<MatchCase["table"], readonly string[]>> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
};

const DNAT_8080 = ["*nat", ...CHAINS.nat.map((name) => `:${name} ACCEPT [0:0]`), "-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80", "COMMIT", ""].join("\n");

function dump(c: MatchCase): string {
  return (c.before ?? "") + [`*${c.table}`, ...CHAINS[c.table].map((name) => `:${name} ACCEPT [0:0]`), ...c.rules.map((r) => `-A ${c.chain} ${r}`), "COMMIT", ""].join("\n");
}

const CASES: readonly MatchCase[] = [
  {
    title: "addrtype from outside: the host's own, a container's and the broadcast address",
    table: "nat",
    chain: "PREROUTING",
    origin: { in: "eth0" },
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080",
    rules: [
      "-m addrtype --dst-type LOCAL",
      "-m addrtype ! --dst-type LOCAL",
      "-m addrtype --src-type UNICAST --dst-type LOCAL",
      "-m addrtype --src-type LOCAL",
      "-m addrtype --dst-type LOCAL --limit-iface-in",
      "-m addrtype --dst-type BROADCAST,MULTICAST",
    ],
  },
  {
    title: "addrtype for a forwarded packet, limited to the output interface",
    table: "mangle",
    chain: "FORWARD",
    origin: { in: "eth0" },
    packet: "udp 10.99.0.2:5353 -> 172.17.0.2:53",
    rules: ["-m addrtype --dst-type UNICAST", "-m addrtype --dst-type UNICAST --limit-iface-out", "-m addrtype ! --src-type LOCAL --limit-iface-out", "-m addrtype --dst-type LOCAL"],
  },
  {
    title: "conntrack and state of a first packet after DNAT",
    table: "mangle",
    chain: "FORWARD",
    origin: { in: "eth0" },
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080",
    before: DNAT_8080,
    rules: [
      "-m state --state NEW",
      "-m state ! --state NEW",
      "-m conntrack --ctstate NEW,DNAT",
      "-m conntrack --ctstate DNAT",
      "-m conntrack --ctstate SNAT",
      "-m conntrack ! --ctstate SNAT",
      "-m conntrack --ctorigdst 10.99.0.1 --ctorigdstport 8080 --ctrepldst 10.99.0.2",
      "-m conntrack --ctreplsrc 172.17.0.2 --ctreplsrcport 80",
      "-m conntrack --ctreplsrc 172.17.0.0/24 --ctproto tcp --ctdir ORIGINAL",
      "-m conntrack --ctdir REPLY",
      "-m conntrack --ctstatus CONFIRMED",
      "-m conntrack ! --ctstatus ASSURED,SEEN_REPLY",
      "-m conntrack --ctstatus NONE",
      "-m conntrack ! --ctstatus NONE",
      "-m connmark --mark 0",
      "-m helper --helper ftp",
      "-m helper ! --helper ftp",
    ],
  },
  {
    title: "INVALID: a lone RST; only --ctstate can match",
    table: "filter",
    chain: "INPUT",
    origin: { in: "eth0" },
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22 [flags RST]",
    rules: [
      "-m conntrack --ctstate INVALID",
      "-m conntrack --ctstate INVALID --ctproto tcp",
      "-m conntrack ! --ctproto udp",
      "-m conntrack ! --ctstate NEW",
      "-m state --state INVALID",
      "-m connmark ! --mark 1",
      "-m helper ! --helper ftp",
    ],
  },
  {
    title: "multiport, udp (the nf_tables port pair), length, ttl, tos, dscp, ecn, pkttype",
    table: "filter",
    chain: "INPUT",
    origin: { in: "eth0" },
    packet: "udp 10.99.0.2:5353 -> 10.99.0.1:53 [ttl 7] [tos 0xb9]",
    rules: [
      "-p udp -m multiport --dports 53,8000:9000",
      "-p udp -m multiport ! --dports 1:52,54",
      "-p udp -m multiport --ports 5000:5400",
      "-p udp -m multiport --sports 53",
      "-p udp -m udp --dport 53",
      "-p udp -m udp ! --sport 5353 ! --dport 54",
      "-p udp -m udp ! --sport 5353 ! --dport 53",
      "-p udp -m udp ! --sport 5353 --dport 53",
      // iptables-nft makes no comparison of a negated full range, and "above 52" of ! 0:52
      "-p udp -m udp ! --sport 0:65535",
      "-p udp -m udp ! --dport 0:52",
      "-p udp -m udp ! --dport 0:53",
      "-m length --length 29:40",
      "-m length ! --length 28",
      "-m ttl --ttl-lt 8",
      "-m ttl --ttl-eq 7",
      "-m tos --tos 0xb8/0xfc",
      "-m dscp --dscp-class EF",
      "-m ecn --ecn-ip-ect 1",
      "-m pkttype --pkt-type unicast",
      "-m pkttype --pkt-type broadcast",
      "-m iprange --src-range 10.99.0.1-10.99.0.2 ! --dst-range 10.99.0.2-10.99.0.255",
      "-m mark --mark 0",
    ],
  },
  {
    title: "tcp ports alone as nf_tables comparisons, and a negated full range kept by the xtables match",
    table: "filter",
    chain: "INPUT",
    origin: { in: "eth0" },
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22",
    rules: [
      "-p tcp -m tcp ! --sport 0:65535",
      "-p tcp -m tcp ! --dport 0:21",
      "-p tcp -m tcp ! --dport 0:22",
      "-p tcp -m tcp ! --sport 0:65535 --tcp-flags SYN NONE",
      "-p tcp -m tcp ! --sport 0:65535 --tcp-flags SYN SYN",
    ],
  },
  {
    title: "icmp type and code, a lab.host process's packet: pkttype is PACKET_HOST on the way out",
    table: "filter",
    chain: "OUTPUT",
    origin: { local: true },
    packet: "icmp 10.99.0.1 -> 10.99.0.2 [type 3] [code 3]",
    rules: [
      "-p icmp -m icmp --icmp-type port-unreachable",
      "-p icmp -m icmp --icmp-type host-unreachable",
      "-p icmp -m icmp ! --icmp-type echo-request",
      "-p icmp -m icmp --icmp-type any",
      "-m pkttype --pkt-type unicast",
      "-m conntrack --ctstate INVALID",
      "-m addrtype --src-type LOCAL --dst-type UNICAST",
    ],
  },
];

describe.skipIf(!available.ok)("match semantics against the kernel (matches-a)", () => {
  const lab = sharedLab(available);

  test.each(CASES.map((c) => ({ ...c, name: c.title })))(
    "$name",
    async (c) => {
      const verdict = await compare(lab.topology, lab.host, { rules: dump(c), packet: c.packet, origin: c.origin });
      expect(verdict.differences, JSON.stringify({ kernel: verdict.kernel }, null, 1)).toEqual([]);
      // Not vacuous: the packet went through the case's chain and some of its rules held.
      expect(verdict.kernel.loaded && verdict.kernel.rules.some((r) => r.table === c.table && r.chain === c.chain)).toBe(true);
    },
    30_000,
  );
});
