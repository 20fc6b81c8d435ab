/**
 * The host's routing tables, built once per Host: the main table as given, and the local
 * table the kernel derives from the addresses (fib_add_ifaddr in net/ipv4/fib_frontend.c,
 * addrconf's local and anycast routes for IPv6). Lookups are longest prefix first, then
 * lowest metric, as fib_table_lookup and fib6_lookup pick.
 */
import type { Family } from "../model/types.js";
import type { Address } from "../packet/packet.js";
import { broadcastOf, inPrefix, isZeronet, networkKey, networkOf } from "./prefix.js";
import type { Host, Interface, Route } from "./types.js";

/** One routing table: routes bucketed by prefix length, longest first, each bucket by metric. */
export class RouteTable {
  private readonly lengths: number[];
  private readonly buckets = new Map<number, Map<number | bigint, Route[]>>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      let bucket = this.buckets.get(route.prefixLength);
      if (bucket === undefined) this.buckets.set(route.prefixLength, (bucket = new Map()));
      const key = networkKey(route.destination, route.prefixLength);
      const list = bucket.get(key);
      if (list === undefined) bucket.set(key, [route]);
      else list.push(route);
    }
    for (const bucket of this.buckets.values()) for (const list of bucket.values()) list.sort((a, b) => a.metric - b.metric);
    this.lengths = [...this.buckets.keys()].sort((a, b) => b - a);
  }

  lookup(address: Address): Route | undefined {
    for (const length of this.lengths) {
      const route = this.buckets.get(length)!.get(networkKey(address, length))?.[0];
      if (route !== undefined) return route;
    }
    return undefined;
  }
}

export interface CompiledHost {
  readonly host: Host;
  readonly interfaces: ReadonlyMap<string, Interface>;
  /**
   * What a routing lookup sees with the default rules. IPv4: one trie holding the local and
   * main tables (fib_new_table aliases them until custom rules exist), so the longest prefix
   * wins across both and the local route comes first at equal prefixes. IPv6: the local
   * table, then the main table.
   */
  lookup(address: Address): Route | undefined;
  /** Every address configured on any interface, by family (inet_lookup_ifaddr, ipv6_chk_addr). */
  readonly ownAddresses: Readonly<Record<Family, ReadonlySet<number | bigint>>>;
  /** The main table has `local` routes: fib_validate_source then always does the full reverse lookup. */
  readonly customLocalRoutes: boolean;
}

const compiled = new WeakMap<Host, CompiledHost>();

/** The host's tables, built on first use and kept for the Host's lifetime. */
export function compileHost(host: Host): CompiledHost {
  let c = compiled.get(host);
  if (c === undefined) compiled.set(host, (c = build(host)));
  return c;
}

function build(host: Host): CompiledHost {
  const byFamily = (family: Family): Route[] => host.routes.filter((r) => r.family === family);
  const own = { ipv4: new Set<number | bigint>(), ipv6: new Set<number | bigint>() };
  for (const iface of host.interfaces) for (const a of iface.addresses) own[a.address.family].add(a.address.value);
  // Stable sort by metric keeps the local routes (metric 0) ahead of main routes at a tie.
  const mergedV4 = new RouteTable([...localRoutesV4(host.interfaces), ...byFamily("ipv4")]);
  const localV6 = new RouteTable(localRoutesV6(host));
  const mainV6 = new RouteTable(byFamily("ipv6"));
  return {
    host,
    interfaces: new Map(host.interfaces.map((i) => [i.name, i])),
    lookup: (address) => (address.family === "ipv4" ? mergedV4.lookup(address) : (localV6.lookup(address) ?? mainV6.lookup(address))),
    ownAddresses: own,
    customLocalRoutes: host.routes.some((r) => r.family === "ipv4" && r.type === "local"),
  };
}

function hostRoute(type: Route["type"], destination: Address, prefixLength: number, device: string, source: Address | undefined, scope: Route["scope"]): Route {
  return { family: destination.family, destination, prefixLength, type, device, gateway: undefined, metric: 0, preferredSource: source, scope };
}

/**
 * fib_add_ifaddr: a local route for every address (even on a device that is down); on an
 * up device also the assigned broadcast, the subnet broadcast (prefixes up to /30) and, on
 * a loopback device, the whole prefix as local (127.0.0.0/8) — the latter two only for
 * primary addresses outside 0.0.0.0/8. Today's kernels add no network-address broadcast.
 */
export function localRoutesV4(interfaces: readonly Interface[]): Route[] {
  const routes: Route[] = [];
  for (const iface of interfaces) {
    const v4 = iface.addresses.filter((a) => a.address.family === "ipv4");
    for (const a of v4) {
      const address = a.address as Extract<Address, { family: "ipv4" }>;
      const primary = a.secondary ? (v4.find((p) => !p.secondary && p.prefixLength === a.prefixLength && inPrefix(address, p.address, p.prefixLength)) ?? a) : a;
      const source = primary.address;
      routes.push(hostRoute("local", address, 32, iface.name, source, "host"));
      if (!iface.up) continue;
      if (a.broadcast !== undefined && a.broadcast.value !== 0xffffffff) routes.push(hostRoute("broadcast", a.broadcast, 32, iface.name, source, "link"));
      const prefix = networkOf(address, a.prefixLength);
      if (isZeronet(prefix.value as number) || a.secondary || (prefix.value === address.value && a.prefixLength === 32)) continue;
      if (iface.kind === "loopback") routes.push(hostRoute("local", prefix, a.prefixLength, iface.name, source, "host"));
      if (a.prefixLength < 31) routes.push(hostRoute("broadcast", broadcastOf(address, a.prefixLength), 32, iface.name, source, "link"));
    }
  }
  return dedupe(routes);
}

/**
 * addrconf: a local /128 route for every address that has finished duplicate address
 * detection on an up device; with forwarding on, the subnet-router anycast address
 * (the prefix itself) of every prefix shorter than /127 (addrconf_join_anycast).
 */
export function localRoutesV6(host: Host): Route[] {
  const routes: Route[] = [];
  for (const iface of host.interfaces) {
    if (!iface.up) continue;
    for (const a of iface.addresses) {
      if (a.address.family !== "ipv6" || a.tentative) continue;
      routes.push(hostRoute("local", a.address, 128, iface.name, a.address, "global"));
      if (host.sysctls.forwarding.ipv6 && a.prefixLength < 127) {
        routes.push(hostRoute("anycast", networkOf(a.address, a.prefixLength), 128, iface.name, undefined, "global"));
      }
    }
  }
  return dedupe(routes);
}

/** fib_magic adds a route once; a second address in the same subnet finds it already there. */
function dedupe(routes: readonly Route[]): Route[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.type} ${String(r.destination.value)}/${r.prefixLength}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
