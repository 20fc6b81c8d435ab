/**
 * fast-check arbitraries for rulesets iptables-restore accepts, written in
 * canonical iptables-save form, over the docker-host topology's addresses and
 * interfaces so that random packets have a chance to meet them. Used by the
 * round-trip properties and by the kernel conformance suite.
 */
import fc from "fast-check";

export const INTERFACES = ["eth0", "docker0", "br-net1", "br-dummy", "lo"] as const;
export const HOST_ADDRESSES = ["10.99.0.1", "172.17.0.1", "172.18.0.1", "192.168.0.1", "127.0.0.1"] as const;
export const PEER_ADDRESSES = ["10.99.0.2", "10.99.1.10", "172.17.0.2", "172.18.0.2", "192.168.0.2", "203.0.113.7"] as const;
const PREFIXES = ["10.99.0.0/24", "172.17.0.0/16", "172.18.0.0/16", "192.168.0.0/24", "10.0.0.0/8", "0.0.0.0/1"] as const;
const PORTS = [22, 53, 80, 443, 8080, 40000] as const;

type Table = "raw" | "mangle" | "nat" | "filter";

const address = fc.oneof(
  fc.constantFrom(...HOST_ADDRESSES, ...PEER_ADDRESSES).map((a) => `${a}/32`),
  fc.constantFrom(...PREFIXES),
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
const icmpMatch = fc.constantFrom("-p icmp -m icmp --icmp-type 8", "-p icmp -m icmp --icmp-type 0", "-p icmp -m icmp ! --icmp-type 8", "-p icmp");
const protocolPart = fc.option(fc.oneof(tcpMatch, udpMatch, icmpMatch), { nil: undefined });

const extraMatch = fc.constantFrom(
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
  "-m iprange --src-range 10.99.0.1-10.99.0.9",
  '-m comment --comment "a \\"quoted\\" note"',
  "-m comment --comment plain-note",
);

function header(table: Table, chain: string, builtin: boolean): fc.Arbitrary<string> {
  const inAllowed = !(builtin && (chain === "OUTPUT" || chain === "POSTROUTING"));
  const outAllowed = !(builtin && (chain === "PREROUTING" || chain === "INPUT"));
  void table;
  return fc
    .record({
      src: fc.option(negated(address.map((a) => `-s ${a}`)), { nil: undefined }),
      dst: fc.option(negated(address.map((a) => `-d ${a}`)), { nil: undefined }),
      iif: inAllowed ? fc.option(negated(fc.constantFrom(...INTERFACES, "br-+").map((i) => `-i ${i}`)), { nil: undefined }) : fc.constant(undefined),
      oif: outAllowed ? fc.option(negated(fc.constantFrom(...INTERFACES, "br-+").map((i) => `-o ${i}`)), { nil: undefined }) : fc.constant(undefined),
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
function target(table: Table, chain: string, builtin: boolean, userChains: readonly string[], proto: boolean): fc.Arbitrary<string> {
  // iptables refuses DROP in the nat table.
  const common = ["-j ACCEPT", ...(table === "nat" ? [] : ["-j DROP"]), "-j RETURN", "-j MARK --set-xmark 0x1/0xffffffff", "-j CONNMARK --set-xmark 0x2/0xffffffff", ""];
  const options: fc.Arbitrary<string>[] = [fc.constantFrom(...common)];
  if (userChains.length > 0) options.push(fc.constantFrom(...userChains).chain((c) => fc.constantFrom(`-j ${c}`, `-g ${c}`)));
  if (table === "filter" && (!builtin || chain !== "OUTPUT")) options.push(fc.constantFrom("-j REJECT --reject-with icmp-port-unreachable", "-j REJECT --reject-with icmp-host-prohibited"));
  if (table === "nat" && builtin && (chain === "PREROUTING" || chain === "OUTPUT")) {
    options.push(fc.constantFrom(...PEER_ADDRESSES.slice(2, 5)).map((a) => `-j DNAT --to-destination ${a}`));
    if (proto) options.push(fc.constant("-j REDIRECT --to-ports 8080"));
  }
  if (table === "nat" && builtin && chain === "POSTROUTING") {
    options.push(fc.constantFrom("-j MASQUERADE", "-j SNAT --to-source 10.99.0.1"));
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

function tableText(table: Table): fc.Arbitrary<string> {
  // User chains are called only from earlier ones in this list, so there are no loops;
  // nat targets stay in built-in chains, whose hooks allow them.
  const userChains = fc.uniqueArray(fc.constantFrom<string>("A", "B", "C", "D-1", "user_x"), { maxLength: 3 }).map((u) => [...u].sort());
  return userChains.chain((users) => {
    const chains = [...BUILTINS[table], ...users];
    const ruleLists = chains.map((chain, i) => {
      const builtin = i < BUILTINS[table].length;
      const callable = builtin ? users : users.slice(users.indexOf(chain) + 1);
      return fc.array(
        header(table, chain, builtin).chain((h) => target(table, chain, builtin, callable, /-p (tcp|udp)/.test(h)).map((t) => [h, t].filter(Boolean).join(" "))),
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

/** A canonical dump of one to four tables, in iptables-save's table order. */
export const rulesetText: fc.Arbitrary<string> = fc
  .subarray(["mangle", "raw", "filter", "nat"] as const, { minLength: 1 })
  .chain((tables) => fc.tuple(...tables.map(tableText)))
  .map((parts) => parts.join(""));

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
