/**
 * Every disagreement the conformance suite found, kept as the smallest ruleset and packet
 * that show it: each must agree with the kernel (outcome, header after NAT, every counter).
 * A case fails here until nfwalk does what the kernel does; the kernel is the reference.
 */
import { describe, expect, test } from "vitest";
import { type Case, compare, sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";

interface Regression extends Case {
  readonly name: string;
  /** Where it was found and what the kernel did. */
  readonly found: string;
}

const filter = (...rules: string[]): string => ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...rules, "COMMIT", ""].join("\n");
const raw = (...rules: string[]): string => ["*raw", ":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...rules, "COMMIT", ""].join("\n");

const REGRESSIONS: readonly Regression[] = [
  {
    name: "a source in 0.0.0.0/8 other than 0.0.0.0 is no martian",
    found:
      "corpus iptables-semantics__ringofsaturn.rules (`-A INPUT -s 0.0.0.0/8 -j DROP`…): since Linux 5.3 ipv4_is_zeronet() is addr == 0 " +
      "(commit 'Allow 0.0.0.0/8 as a valid address range'), so 0.0.0.1 routes like any unicast source; the kernel delivers it, nfwalk drops it as a martian source",
    rules: filter("-A INPUT -s 0.0.0.0/8 -j ACCEPT"),
    packet: "tcp 0.0.0.1:40000 -> 10.99.0.1:22",
    origin: { in: "eth0" },
  },
  {
    name: "a destination in 0.0.0.0/8 other than 0.0.0.0 is routed",
    found: "follows from the case above: the kernel forwards 0.0.0.1 along the default route (to ext); nfwalk drops it as a martian destination",
    rules: filter("-A FORWARD -d 0.0.0.0/8 -j ACCEPT"),
    packet: "tcp 172.17.0.2:40000 -> 0.0.0.1:22",
    origin: { in: "docker0" },
  },
  {
    name: "addrtype: 0.0.0.1 is UNICAST, not BROADCAST",
    found: "inet_addr_type() calls 0.0.0.0 alone BROADCAST since ipv4_is_zeronet() became addr == 0; nfwalk calls all of 0.0.0.0/8 BROADCAST",
    rules: raw("-A PREROUTING -m addrtype --src-type BROADCAST -j ACCEPT", "-A PREROUTING -m addrtype --src-type UNICAST -j ACCEPT"),
    packet: "udp 0.0.0.1:68 -> 10.99.0.1:67",
    origin: { in: "eth0" },
  },
  {
    name: "a built-in chain the dump does not declare does not exist (nat without INPUT)",
    found:
      "corpus net-network__serverfault-769294.rules (an old `*nat` with PREROUTING, POSTROUTING and OUTPUT only): iptables-nft creates only the " +
      "base chains a dump declares, so no nat INPUT chain sees the packet and no policy counter moves; nfwalk walks a nat INPUT with policy ACCEPT",
    rules: ["*nat", ":PREROUTING ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", "COMMIT", ""].join("\n"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22",
    origin: { in: "eth0" },
  },
  {
    name: "a built-in chain the dump does not declare does not exist (filter without FORWARD, so no DROP policy)",
    found: "the same as above for filter: with no `:FORWARD` line there is no FORWARD base chain, so nothing drops the packet",
    rules: ["*filter", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", "COMMIT", ""].join("\n"),
    packet: "tcp 172.17.0.2:40000 -> 10.99.1.10:443",
    origin: { in: "docker0" },
  },
  {
    name: "MASQUERADE --random-fully picks the source port at random",
    found:
      "corpus blog-iptables-k3s__k3s-docker-counters-c.rules and blog-k8s-flannel__k8s-1.26-flannel-master.rules (kube-proxy and flannel " +
      "masquerade with --random-fully): the kernel's source port is random (e.g. 8926, 61009); nfwalk's header keeps the original port " +
      "(it says so in a note, but the trace's egress header states the port as fact)",
    rules: ["*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", "-A POSTROUTING -o eth0 -j MASQUERADE --random-fully", "COMMIT", ""].join(
      "\n",
    ),
    packet: "tcp 172.17.0.2:40000 -> 10.99.1.10:443",
    origin: { in: "docker0" },
  },
  {
    name: "falling off a chain reached by -g from a built-in chain applies that chain's policy (raw OUTPUT)",
    found:
      "random.test.ts seed 613182908 (shrunk): `-A OUTPUT -g B` with B empty; the kernel counts raw OUTPUT's policy (the goto's return " +
      "lands on the built-in chain's end), nfwalk counts no policy",
    rules: raw(":B - [0:0]", "-A OUTPUT -g B"),
    packet: "icmp 10.99.0.1 -> 10.99.0.2 [type 8]",
    origin: { local: true },
  },
  {
    name: "falling off a chain reached by -g from a built-in chain applies that chain's policy (filter INPUT, policy DROP)",
    found: "the same as above, where the policy decides: an empty chain reached by -g from INPUT must end in INPUT's DROP policy",
    rules: ["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":B - [0:0]", "-A INPUT -g B", "COMMIT", ""].join("\n"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22",
    origin: { in: "eth0" },
  },
  {
    name: "a broadcast a process sends to 127.255.255.255 comes back in through lo and is delivered",
    found:
      "issue 10: the local table's `broadcast 127.255.255.255 dev lo` route sends the packet through lo (POSTROUTING once), and it " +
      "comes back through PREROUTING and INPUT to a local socket, addressed to the host (pkttype host, not broadcast); nfwalk said it was sent out of lo",
    rules: filter("-A INPUT -m pkttype --pkt-type broadcast -j ACCEPT", "-A INPUT -i lo -d 127.255.255.255 -j ACCEPT", "-A OUTPUT -o lo -d 127.255.255.255 -j ACCEPT"),
    packet: "udp 127.0.0.1:40000 -> 127.255.255.255:9999",
    origin: { local: true },
  },
  {
    name: "protocol 58 over IPv4 (ICMPv6's number) is no ICMP: `-p 58` matches it and conntrack calls it INVALID",
    found:
      "a PACKET could not say it (icmpv6 is IPv6's): nf_ct_get_tuple hands protocol 58 to the ICMPv6 tracker in either family, and " +
      "nf_conntrack_icmpv6_packet refuses a packet that is not IPv6, so the packet has no connection; nfwalk called it NEW",
    rules: filter("-A INPUT -p 58", "-A INPUT -p icmp", "-A INPUT ! -p ipv6-icmp", "-A INPUT -m conntrack --ctstate NEW", "-A INPUT -m conntrack --ctstate INVALID"),
    packet: "58 10.99.0.2 -> 10.99.0.1",
    origin: { in: "eth0" },
  },
];

const available = conformanceAvailable();
if (!available.ok) console.log(`conformance regressions skipped: ${available.reason}`);

describe.skipIf(!available.ok)("found disagreements, kept as regressions", () => {
  const lab = sharedLab(available);

  test.each(REGRESSIONS.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    const verdict = await compare(lab.topology, lab.host, r);
    expect(verdict.differences, `${r.found}\nkernel: ${JSON.stringify(verdict.kernel)}`).toEqual([]);
  });
});
