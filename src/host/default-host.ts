/**
 * The host nfwalk assumes when it is given no `--addr` / `--route`:
 *
 * - `lo`: 127.0.0.1/8 and ::1/128.
 * - `eth0`, the uplink: 10.0.0.1/24 and 2001:db8::1/64, default routes via 10.0.0.254 and
 *   2001:db8::fffe. When a Docker network of the rules overlaps 10.0.0.0/24, eth0 moves to
 *   192.0.2.1/24 (then 198.51.100.1/24), gateway .254; when the IPv6 rules name an address in
 *   2001:db8::/64, eth0's IPv6 /64 moves to 2001:db8:6e66::/64 (then 2001:db8:6e67::/64,
 *   fd6e:6677::/64), ::1 and gateway ::fffe.
 * - A Docker bridge for every `docker*` or `br-*` interface the rules name in -i/-o, up, with
 *   its gateway address (the subnet's first host address, as Docker assigns it) and the
 *   subnet route. The subnet comes from the rules, first found first:
 *   `-s SUBNET ! -o BRIDGE -j MASQUERADE` (Docker's outgoing NAT rule); else the /24 (IPv6:
 *   /64) around a container address the rules name with that bridge (`-d ADDR/32 -o BRIDGE`,
 *   `-d ADDR/32 ! -i BRIDGE`); else Docker's defaults: 172.17.0.0/16 for docker0, the next
 *   free 172.N.0.0/16 for others (IPv6: fd00:N::/64).
 * - Every other interface the rules name (no `+` wildcard): up, without addresses.
 * - Sysctls as given (nfwalk's defaults otherwise; see sysctl.ts).
 * `origin.assumptions` says all of this in words for the trace.
 */
import type { Cidr, Family } from "../model/types.js";
import type { Rule, Ruleset } from "../ruleset/types.js";
import { prefixLength } from "../model/address.js";
import type { Address } from "../packet/packet.js";
import { formatAddress, inPrefix, networkOf } from "./prefix.js";
import { DEFAULT_SYSCTLS } from "./sysctl.js";
import type { Host, Interface, InterfaceAddress, Route, Sysctls } from "./types.js";

interface Subnet {
  readonly network: Address;
  readonly length: number;
}

const v4 = (a: number, b: number, c: number, d: number): Address => ({ family: "ipv4", value: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0 });
const v6 = (value: bigint): Address => ({ family: "ipv6", value });
const plus = (address: Address, n: number): Address => (address.family === "ipv4" ? { family: "ipv4", value: (address.value + n) >>> 0 } : { family: "ipv6", value: address.value + BigInt(n) });

const UPLINKS: readonly Subnet[] = [
  { network: v4(10, 0, 0, 0), length: 24 },
  { network: v4(192, 0, 2, 0), length: 24 },
  { network: v4(198, 51, 100, 0), length: 24 },
];
/** The IPv6 uplink: the first of these whose /64 holds no address the rules name (a host address of the dump must not become the host's own). */
const UPLINKS_V6: readonly Subnet[] = [0x20010db8_0000n, 0x20010db8_6e66n, 0x20010db8_6e67n, 0xfd6e6677_0000n].map((high) => ({ network: v6(high << 80n), length: 64 }));
const isDockerBridge = (name: string): boolean => /^(docker|br-)/.test(name);

/** The host nfwalk assumes around a dump when none is given; `origin.assumptions` lists what it assumed. */
export function defaultHost(ruleset: Ruleset, sysctls: Sysctls = DEFAULT_SYSCTLS): Host {
  const family = ruleset.family;
  const seen = readRules(ruleset);
  const named = [...seen.names];
  const assumptions: string[] = [];

  const bridges = new Map<string, Subnet>();
  for (const name of named.filter(isDockerBridge)) {
    const found = seen.masquerade.get(name) ?? seen.container.get(name);
    const subnet = found?.subnet ?? fallbackSubnet(name, family, [...bridges.values()]);
    bridges.set(name, subnet);
    assumptions.push(`${name} is a Docker bridge with ${formatAddress(plus(subnet.network, 1))}/${subnet.length} (${found?.how ?? "Docker's default, not named in the rules"})`);
  }

  const uplink = UPLINKS.find((u) => ![...bridges.values()].some((b) => overlaps(b, u))) ?? UPLINKS[0]!;
  const namedV6 = seen.addresses;
  const uplinkV6 = UPLINKS_V6.find((u) => ![...bridges.values(), ...namedV6].some((b) => overlaps(b, u))) ?? UPLINKS_V6[0]!;
  const uplinkGateway = plus(uplink.network, 254);
  assumptions.unshift(
    `lo has 127.0.0.1/8 and ::1/128`,
    `eth0 has ${formatAddress(plus(uplink.network, 1))}/${uplink.length} and ${formatAddress(plus(uplinkV6.network, 1))}/64; the default routes go via ${formatAddress(uplinkGateway)} and ${formatAddress(plus(uplinkV6.network, 0xfffe))}`,
  );
  const others = named.filter((n) => n !== "lo" && n !== "eth0" && !bridges.has(n));
  if (others.length > 0) assumptions.push(`${others.join(", ")} exist${others.length === 1 ? "s" : ""}, up, without addresses`);

  const interfaces: Interface[] = [
    device("lo", 1, "loopback", [address(v4(127, 0, 0, 1), 8, "host"), address(v6(1n), 128, "host")]),
    device("eth0", 2, "ether", [address(plus(uplink.network, 1), uplink.length, "global"), address(plus(uplinkV6.network, 1), 64, "global")]),
    ...[...bridges].map(([name, s], i) => device(name, 3 + i, "ether", [address(plus(s.network, 1), s.length, "global")])),
    ...others.map((name, i) => device(name, 3 + bridges.size + i, "ether", [])),
  ];
  const routes: Route[] = [
    route(v4(0, 0, 0, 0), 0, "eth0", uplinkGateway, undefined, 0),
    route(uplink.network, uplink.length, "eth0", undefined, plus(uplink.network, 1), 0),
    ...[...bridges].map(([name, s]) => route(s.network, s.length, name, undefined, plus(s.network, 1), s.network.family === "ipv4" ? 0 : 256)),
    route(v6(0n), 0, "eth0", plus(uplinkV6.network, 0xfffe), undefined, 1024),
    route(uplinkV6.network, 64, "eth0", undefined, undefined, 256),
  ];
  return { interfaces, routes, sysctls, origin: { kind: "default", assumptions } };
}

function device(name: string, index: number, kind: Interface["kind"], addresses: InterfaceAddress[]): Interface {
  return { name, index, kind, up: true, master: undefined, addresses };
}

function address(a: Address, length: number, scope: InterfaceAddress["scope"]): InterfaceAddress {
  return { address: a, prefixLength: length, scope, broadcast: undefined, secondary: false, tentative: false };
}

function route(destination: Address, length: number, dev: string, gateway: Address | undefined, source: Address | undefined, metric: number): Route {
  const scope = gateway === undefined && length > 0 ? "link" : "global";
  return { family: destination.family, destination, prefixLength: length, type: "unicast", device: dev, gateway, metric, preferredSource: source, scope };
}

/** A bridge's subnet as the rules give it, and where. */
interface Found {
  readonly subnet: Subnet;
  readonly how: string;
}

/** What the default host takes from the rules, each list and map in the order the rules come. */
interface SeenInRules {
  /** Interface names the rules match on (-i/-o), without wildcards. */
  readonly names: Set<string>;
  /** By bridge: the first Docker `-s SUBNET ! -o BRIDGE -j MASQUERADE`. */
  readonly masquerade: Map<string, Found>;
  /** By bridge: the first container address the rules send to it (`-d ADDR/32 -o BRIDGE`, `-d ADDR/32 ! -i BRIDGE`). */
  readonly container: Map<string, Found>;
  /** IPv6 only: addresses and networks of /64 or longer the rules name in -s / -d. */
  readonly addresses: Subnet[];
}

/**
 * Reads every rule once, in table, chain and rule order (the dump can have hundreds of thousands:
 * one pass, no array of them, indexed loops).
 */
function readRules(ruleset: Ruleset): SeenInRules {
  const seen: SeenInRules = { names: new Set(), masquerade: new Map(), container: new Map(), addresses: [] };
  const v6 = ruleset.family === "ipv6";
  const tables = ruleset.tables;
  for (let t = 0; t < tables.length; t++) {
    const chains = tables[t]!.chains;
    for (let c = 0; c < chains.length; c++) {
      const rules = chains[c]!.rules;
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r]!;
        const { inInterface, outInterface } = rule.header;
        // Most rules name no interface, and an IPv4 dump needs nothing else of them.
        if (inInterface !== undefined || outInterface !== undefined) readInterfaces(seen, rule);
        if (v6) namedAddresses(seen.addresses, rule);
      }
    }
  }
  return seen;
}

function readInterfaces(seen: SeenInRules, rule: Rule): void {
  const { inInterface, outInterface } = rule.header;
  if (inInterface !== undefined && !inInterface.value.endsWith("+")) seen.names.add(inInterface.value);
  if (outInterface !== undefined && !outInterface.value.endsWith("+")) seen.names.add(outInterface.value);
  if (outInterface?.negated && !seen.masquerade.has(outInterface.value)) {
    const found = masqueradeSubnet(rule);
    if (found !== undefined) seen.masquerade.set(outInterface.value, found);
  }
  // The bridge a rule sends to: `-o BRIDGE`, or `! -i BRIDGE` (a rule can name one of each).
  if (outInterface !== undefined && !outInterface.negated) containerSubnet(seen.container, rule, outInterface.value);
  if (inInterface?.negated) containerSubnet(seen.container, rule, inInterface.value);
}

function subnetOf(cidr: Cidr): Subnet | undefined {
  const length = prefixLength(cidr);
  if (length === undefined) return undefined;
  return { network: cidr.family === "ipv4" ? { family: "ipv4", value: cidr.address } : { family: "ipv6", value: cidr.address }, length };
}

/** Docker's `-s SUBNET ! -o BRIDGE -j MASQUERADE` (the rule has `! -o`). */
function masqueradeSubnet(rule: Rule): Found | undefined {
  const source = rule.header.source;
  const masquerade = rule.action?.kind === "target" && rule.action.target.extension.name === "MASQUERADE";
  if (!masquerade || source === undefined || source.negated) return undefined;
  const subnet = subnetOf(source.value);
  if (subnet === undefined || subnet.length >= (subnet.network.family === "ipv4" ? 31 : 127)) return undefined;
  return { subnet, how: `from the MASQUERADE rule on line ${rule.line}` };
}

/** A container address `rule` sends to `bridge`: its `-d ADDR/32` (`/128`), the first one found for the bridge. */
function containerSubnet(found: Map<string, Found>, rule: Rule, bridge: string): void {
  const destination = rule.header.destination;
  if (found.has(bridge) || destination === undefined || destination.negated) return;
  const host = subnetOf(destination.value);
  if (host === undefined || host.length !== (host.network.family === "ipv4" ? 32 : 128)) return;
  const length = host.network.family === "ipv4" ? 24 : 64;
  found.set(bridge, { subnet: { network: networkOf(host.network, length), length }, how: `around container address ${formatAddress(host.network)} on line ${rule.line}` });
}

function namedAddresses(found: Subnet[], rule: Rule): void {
  for (const cidr of [rule.header.source?.value, rule.header.destination?.value]) {
    const subnet = cidr && subnetOf(cidr);
    if (subnet && subnet.length >= 64) found.push(subnet);
  }
}

function fallbackSubnet(name: string, family: Family, taken: readonly Subnet[]): Subnet {
  const candidates: Subnet[] =
    family === "ipv4"
      ? [...(name === "docker0" ? [17] : []), ...Array.from({ length: 14 }, (_, i) => 18 + i)].map((b) => ({ network: v4(172, b, 0, 0), length: 16 }))
      : Array.from({ length: 256 }, (_, i) => ({ network: v6((0xfd00n << 112n) | (BigInt(i) << 96n)), length: 64 }));
  return candidates.find((c) => !taken.some((t) => overlaps(t, c))) ?? candidates[0]!;
}

function overlaps(a: Subnet, b: Subnet): boolean {
  const shorter = a.length <= b.length ? a : b;
  const other = shorter === a ? b : a;
  return inPrefix(other.network, shorter.network, shorter.length);
}
