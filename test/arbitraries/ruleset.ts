/**
 * fast-check arbitraries for rulesets iptables-restore accepts, written in
 * canonical iptables-save form, over the docker-host topology's addresses and
 * interfaces so that random packets have a chance to meet them. Used by the
 * round-trip properties and by the kernel conformance suite. The IPv6 ones
 * (`rulesetText6`, `packetCase6`) are ip6tables-save dumps over a small
 * two-link IPv6 host (`V6_HOST`).
 */
import fc from "fast-check";
import type { Family } from "../../src/model/types.js";

export const INTERFACES = ["eth0", "docker0", "br-net1", "br-dummy", "lo"] as const;
export const HOST_ADDRESSES = ["10.99.0.1", "172.17.0.1", "172.18.0.1", "192.168.0.1", "127.0.0.1"] as const;
export const PEER_ADDRESSES = ["10.99.0.2", "10.99.1.10", "172.17.0.2", "172.18.0.2", "192.168.0.2", "203.0.113.7"] as const;
const PREFIXES = ["10.99.0.0/24", "172.17.0.0/16", "172.18.0.0/16", "192.168.0.0/24", "10.0.0.0/8", "0.0.0.0/1"] as const;
const PORTS = [22, 53, 80, 443, 8080, 40000] as const;

/** The IPv6 host the IPv6 arbitraries are written for: eth0 (fd00:1::1/64, default route via fd00:1::2), eth1 (fd00:2::1/64), lo. */
export const V6_HOST = {
  interfaces: ["eth0", "eth1", "lo"],
  hostAddresses: ["fd00:1::1", "fd00:2::1", "::1", "fe80::1"],
  peerAddresses: ["fd00:1::2", "fd00:2::2", "2001:db8::7", "fd00:2::9"],
} as const;

type Table = "raw" | "mangle" | "nat" | "filter";

/** What a family's rules and packets are written with. */
interface Vocabulary {
  readonly interfaces: readonly string[];
  readonly hostAddresses: readonly string[];
  readonly peerAddresses: readonly string[];
  readonly prefixes: readonly string[];
  readonly hostBits: number;
  readonly icmp: readonly string[];
  readonly extras: readonly string[];
  readonly rejects: readonly string[];
  readonly dnatTo: readonly string[];
  readonly snatTo: string;
}

const COMMON_EXTRAS = [
  "-m conntrack --ctstate NEW",
  "-m conntrack --ctstate INVALID",
  "-m conntrack --ctstate RELATED,ESTABLISHED",
  "-m conntrack ! --ctstate NEW",
  "-m conntrack --ctstate DNAT",
  "-m conntrack --ctorigdstport 8080",
  "-m mark --mark 0x1",
  "-m mark ! --mark 0x1/0xff",
  "-m connmark --mark 0x2",
  "-m addrtype --dst-type LOCAL",
  "-m addrtype ! --dst-type LOCAL",
  "-m addrtype --src-type LOCAL",
];
const COMMENTS = ['-m comment --comment "a \\"quoted\\" note"', "-m comment --comment plain-note"];

const VOCABULARY: Readonly<Record<Family, Vocabulary>> = {
  ipv4: {
    interfaces: [...INTERFACES, "br-+"],
    hostAddresses: HOST_ADDRESSES,
    peerAddresses: PEER_ADDRESSES,
    prefixes: PREFIXES,
    hostBits: 32,
    icmp: ["-p icmp -m icmp --icmp-type 8", "-p icmp -m icmp --icmp-type 0", "-p icmp -m icmp ! --icmp-type 8", "-p icmp"],
    extras: [...COMMON_EXTRAS, "-m iprange --src-range 10.99.0.1-10.99.0.9", ...COMMENTS],
    rejects: ["-j REJECT --reject-with icmp-port-unreachable", "-j REJECT --reject-with icmp-host-prohibited"],
    dnatTo: PEER_ADDRESSES.slice(2, 5),
    snatTo: "10.99.0.1",
  },
  ipv6: {
    interfaces: [...V6_HOST.interfaces, "eth+"],
    hostAddresses: V6_HOST.hostAddresses,
    peerAddresses: V6_HOST.peerAddresses,
    prefixes: ["fd00:1::/64", "fd00:2::/64", "fd00::/16", "2001:db8::/32", "::/1", "fe80::/10"],
    hostBits: 128,
    // `-p icmp` here is next header 1, ICMP's number: no ICMPv6, and conntrack calls it INVALID.
    icmp: ["-p ipv6-icmp -m icmp6 --icmpv6-type 128", "-p ipv6-icmp -m icmp6 --icmpv6-type 129", "-p ipv6-icmp -m icmp6 ! --icmpv6-type 128", "-p ipv6-icmp", "-p icmp", "! -p icmp"],
    extras: [...COMMON_EXTRAS, "-m iprange --src-range fd00:1::1-fd00:1::9", "-m addrtype --dst-type MULTICAST", ...COMMENTS],
    rejects: ["-j REJECT --reject-with icmp6-port-unreachable", "-j REJECT --reject-with icmp6-adm-prohibited"],
    dnatTo: ["fd00:2::2", "fd00:2::9"],
    snatTo: "fd00:1::1",
  },
};

const addressOf = (v: Vocabulary) =>
  fc.oneof(
    fc.constantFrom(...v.hostAddresses, ...v.peerAddresses).map((a) => `${a}/${v.hostBits}`),
    fc.constantFrom(...v.prefixes),
  );
const negated = (body: fc.Arbitrary<string>) => fc.tuple(fc.boolean(), body).map(([not, b]) => (not ? `! ${b}` : b));
const port = fc.constantFrom(...PORTS);
const portSpec = fc.oneof(
  port.map(String),
  fc
    .tuple(port, port)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
);

const tcpMatch = fc
  .record({
    sport: fc.option(negated(portSpec.map((p) => `--sport ${p}`)), { nil: undefined }),
    dport: fc.option(negated(portSpec.map((p) => `--dport ${p}`)), { nil: undefined }),
    flags: fc.option(fc.constantFrom("--tcp-flags FIN,SYN,RST,ACK SYN", "! --tcp-flags FIN,SYN,RST,ACK SYN", "--tcp-flags SYN,ACK ACK"), { nil: undefined }),
  })
  .map((m) => ["-p tcp -m tcp", m.sport, m.dport, m.flags].filter(Boolean).join(" "))
  .filter((s) => s !== "-p tcp -m tcp");
const udpMatch = fc
  .record({
    sport: fc.option(
      port.map((p) => `--sport ${p}`),
      { nil: undefined },
    ),
    dport: fc.option(
      port.map((p) => `--dport ${p}`),
      { nil: undefined },
    ),
  })
  .map((m) => ["-p udp -m udp", m.sport, m.dport].filter(Boolean).join(" "))
  .filter((s) => s !== "-p udp -m udp");
function header(v: Vocabulary, table: Table, chain: string, builtin: boolean): fc.Arbitrary<string> {
  const address = addressOf(v);
  const protocolPart = fc.option(fc.oneof(tcpMatch, udpMatch, fc.constantFrom(...v.icmp)), { nil: undefined });
  const extraMatch = fc.constantFrom(...v.extras);
  const inAllowed = !(builtin && (chain === "OUTPUT" || chain === "POSTROUTING"));
  const outAllowed = !(builtin && (chain === "PREROUTING" || chain === "INPUT"));
  void table;
  return fc
    .record({
      src: fc.option(negated(address.map((a) => `-s ${a}`)), { nil: undefined }),
      dst: fc.option(negated(address.map((a) => `-d ${a}`)), { nil: undefined }),
      iif: inAllowed ? fc.option(negated(fc.constantFrom(...v.interfaces).map((i) => `-i ${i}`)), { nil: undefined }) : fc.constant(undefined),
      oif: outAllowed ? fc.option(negated(fc.constantFrom(...v.interfaces).map((i) => `-o ${i}`)), { nil: undefined }) : fc.constant(undefined),
      proto: protocolPart,
      extra: fc.option(extraMatch, { nil: undefined }),
    })
    .map((h) => {
      // iptables-save puts -s -d -i -o before -p and the protocol match.
      const [p, ...match] = (h.proto ?? "").split(" -m ");
      const protocol = [p, ...match.map((m) => `-m ${m}`)].filter(Boolean).join(" ");
      return [h.src, h.dst, h.iif, h.oif, protocol || undefined, h.extra].filter(Boolean).join(" ");
    });
}

/** Targets that exist in every table and hook, plus jumps to user chains. */
function target(v: Vocabulary, table: Table, chain: string, builtin: boolean, userChains: readonly string[], proto: boolean): fc.Arbitrary<string> {
  // iptables refuses DROP in the nat table.
  const common = ["-j ACCEPT", ...(table === "nat" ? [] : ["-j DROP"]), "-j RETURN", "-j MARK --set-xmark 0x1/0xffffffff", "-j CONNMARK --set-xmark 0x2/0xffffffff", ""];
  const options: fc.Arbitrary<string>[] = [fc.constantFrom(...common)];
  if (userChains.length > 0) options.push(fc.constantFrom(...userChains).chain((c) => fc.constantFrom(`-j ${c}`, `-g ${c}`)));
  if (table === "filter" && (!builtin || chain !== "OUTPUT")) options.push(fc.constantFrom(...v.rejects));
  if (table === "nat" && builtin && (chain === "PREROUTING" || chain === "OUTPUT")) {
    options.push(fc.constantFrom(...v.dnatTo).map((a) => `-j DNAT --to-destination ${a}`));
    if (proto) options.push(fc.constant("-j REDIRECT --to-ports 8080"));
  }
  if (table === "nat" && builtin && chain === "POSTROUTING") {
    options.push(fc.constantFrom("-j MASQUERADE", `-j SNAT --to-source ${v.snatTo}`));
  }
  if (table === "raw") options.push(fc.constant("-j CT --notrack"));
  return fc.oneof(...options);
}

const BUILTINS: Readonly<Record<Table, readonly string[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
};

function tableText(v: Vocabulary, table: Table): fc.Arbitrary<string> {
  // User chains are called only from earlier ones in this list, so there are no loops;
  // nat targets stay in built-in chains, whose hooks allow them.
  const userChains = fc.uniqueArray(fc.constantFrom<string>("A", "B", "C", "D-1", "user_x"), { maxLength: 3 }).map((u) => [...u].sort());
  return userChains.chain((users) => {
    const chains = [...BUILTINS[table], ...users];
    const ruleLists = chains.map((chain, i) => {
      const builtin = i < BUILTINS[table].length;
      const callable = builtin ? users : users.slice(users.indexOf(chain) + 1);
      return fc.array(
        header(v, table, chain, builtin).chain((h) => target(v, table, chain, builtin, callable, /-p (tcp|udp)/.test(h)).map((t) => [h, t].filter(Boolean).join(" "))),
        { maxLength: 4 },
      );
    });
    const policies = BUILTINS[table].map(() => (table === "filter" ? fc.constantFrom("ACCEPT", "DROP") : fc.constant("ACCEPT")));
    return fc.tuple(fc.tuple(...policies), fc.tuple(...ruleLists)).map(([pols, lists]) => {
      const lines = [`*${table}`];
      BUILTINS[table].forEach((c, i) => lines.push(`:${c} ${pols[i]} [0:0]`));
      for (const u of users) lines.push(`:${u} - [0:0]`);
      chains.forEach((c, i) => lists[i]!.forEach((r) => lines.push(`-A ${c}${r ? " " + r : ""}`)));
      lines.push("COMMIT");
      return lines.join("\n") + "\n";
    });
  });
}

function rulesetOf(v: Vocabulary): fc.Arbitrary<string> {
  return fc
    .subarray(["mangle", "raw", "filter", "nat"] as const, { minLength: 1 })
    .chain((tables) => fc.tuple(...tables.map((t) => tableText(v, t))))
    .map((parts) => parts.join(""));
}

/** A canonical dump of one to four tables, in iptables-save's table order. */
export const rulesetText: fc.Arbitrary<string> = rulesetOf(VOCABULARY.ipv4);

/** The same for ip6tables-save, over `V6_HOST`. */
export const rulesetText6: fc.Arbitrary<string> = rulesetOf(VOCABULARY.ipv6);

/** A packet in nfwalk's syntax, with where it comes from, over the topology's addresses. */
export const packetCase = fc.record({
  spec: fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...PEER_ADDRESSES, ...HOST_ADDRESSES),
        fc.constantFrom(...PORTS),
        fc.constantFrom(...HOST_ADDRESSES, ...PEER_ADDRESSES),
        fc.constantFrom(...PORTS),
        fc.constantFrom("SYN", "ACK", "SYN,ACK", "RST", "FIN,ACK", "PSH,ACK"),
      )
      .map(([s, sp, d, dp, f]) => `tcp ${s}:${sp} -> ${d}:${dp} [flags ${f}]`),
    fc
      .tuple(fc.constantFrom(...PEER_ADDRESSES, ...HOST_ADDRESSES), fc.constantFrom(...PORTS), fc.constantFrom(...HOST_ADDRESSES, ...PEER_ADDRESSES), fc.constantFrom(...PORTS))
      .map(([s, sp, d, dp]) => `udp ${s}:${sp} -> ${d}:${dp}`),
    fc.tuple(fc.constantFrom(...PEER_ADDRESSES, ...HOST_ADDRESSES), fc.constantFrom(...HOST_ADDRESSES, ...PEER_ADDRESSES), fc.constantFrom(8, 0)).map(([s, d, t]) => `icmp ${s} -> ${d} [type ${t}]`),
  ),
  origin: fc.constantFrom<{ in: string } | { local: true }>({ in: "eth0" }, { in: "docker0" }, { in: "br-net1" }, { in: "br-dummy" }, { local: true }),
});

/** An IPv6 packet over `V6_HOST`, with where it comes from. */
export const packetCase6 = (() => {
  const { hostAddresses, peerAddresses } = V6_HOST;
  const anyAddress = fc.constantFrom(...peerAddresses, ...hostAddresses);
  const port = fc.constantFrom(...PORTS);
  return fc.record({
    spec: fc.oneof(
      fc.tuple(anyAddress, port, anyAddress, port, fc.constantFrom("SYN", "ACK", "SYN,ACK", "RST")).map(([s, sp, d, dp, f]) => `tcp [${s}]:${sp} -> [${d}]:${dp} [flags ${f}]`),
      fc.tuple(anyAddress, port, anyAddress, port).map(([s, sp, d, dp]) => `udp [${s}]:${sp} -> [${d}]:${dp}`),
      fc.tuple(anyAddress, anyAddress, fc.constantFrom(128, 129, 135)).map(([s, d, t]) => `icmpv6 ${s} -> ${d} [type ${t}]`),
      fc.tuple(anyAddress, anyAddress).map(([s, d]) => `1 ${s} -> ${d}`),
    ),
    origin: fc.constantFrom<{ in: string } | { local: true }>({ in: "eth0" }, { in: "eth1" }, { local: true }),
  });
})();
