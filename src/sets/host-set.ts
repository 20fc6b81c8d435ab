/**
 * The host over whole address ranges. Routing, `-m addrtype`, MASQUERADE's
 * and REDIRECT's address choice ask the same questions of every address
 * between two consecutive "cuts": the ends of every route's prefix, of every
 * interface address's subnet, the addresses themselves, and the ranges the
 * kernel treats specially (0/8, 127/8, 224/4 and its local groups, 240/4,
 * 255.255.255.255). So answering for one address of each piece answers for
 * the piece, and a set of packets is split there only.
 */
import type { SetHostView } from "../ext/set-semantics.js";
import { localRoutesV6, type Host } from "../host/index.js";
import type { Address } from "../packet/packet.js";
import type { IpsetContents } from "../host/ipset.js";
import type { Family } from "../model/types.js";
import { addressRanges, ALL_V6, type AddressField } from "./address-set.js";
import * as iv from "./intervals.js";
import type { Intervals } from "./intervals.js";
import { boxOf, EMPTY, type PacketSet } from "./packet-set.js";

const SPECIAL_RANGES: readonly (readonly [number, number])[] = [
  [0x00000000, 0x00000000],
  [0x00000000, 0x00ffffff],
  [0x7f000000, 0x7fffffff],
  [0xe0000000, 0xefffffff],
  [0xe0000000, 0xe00000ff],
  [0xe0000001, 0xe0000001],
  [0xf0000000, 0xffffffff],
  [0xffffffff, 0xffffffff],
];

/** Where the host's answers about an address may change, ascending. */
export function hostCuts(host: Host): number[] {
  const cuts = new Set<number>();
  const add = (lo: number, hi: number) => {
    // Each end alone too: a subnet's network and broadcast addresses are answered apart.
    for (const c of [lo, lo + 1, hi, hi + 1]) if (c > 0 && c <= 0xffffffff) cuts.add(c);
  };
  const prefix = (value: number, length: number) => {
    const size = 2 ** (32 - length);
    const lo = Math.floor(value / size) * size;
    add(lo, lo + size - 1);
  };
  for (const [lo, hi] of SPECIAL_RANGES) add(lo, hi);
  for (const route of host.routes) {
    if (route.destination.family !== "ipv4") continue;
    prefix(route.destination.value, route.prefixLength);
    if (route.gateway?.family === "ipv4") add(route.gateway.value, route.gateway.value);
  }
  for (const iface of host.interfaces)
    for (const a of iface.addresses) {
      if (a.address.family !== "ipv4") continue;
      add(a.address.value, a.address.value);
      prefix(a.address.value, a.prefixLength);
      if (a.broadcast?.family === "ipv4") add(a.broadcast.value, a.broadcast.value);
    }
  return [...cuts].sort((a, b) => a - b);
}

/** Protocols routing treats apart (IGMP to a multicast group), and those conntrack does (ICMP, TCP, ICMPv6). */
export const PROTOCOL_CUTS: readonly number[] = [1, 2, 3, 6, 7, 58, 59];

/** IPv6 cuts (each starts a piece) for source and destination, by the question they serve. */
export interface V6Cuts {
  readonly src?: readonly bigint[];
  readonly dst?: readonly bigint[];
}

export interface HostCutsV6 {
  /** Routing (ip6_route_input, ip6_forward's source checks, output routing) and -m addrtype. */
  readonly routing: V6Cuts;
  /** What ipv6_rcv drops before PREROUTING: multicast and v4-mapped sources, ::1, multicast scopes 0 and 1. */
  readonly receive: V6Cuts;
  /** MASQUERADE's source: the longest common prefix with the destination picks it, so every prefix of every address counts. */
  readonly masquerade: V6Cuts;
}

const group = (high: bigint, low: bigint) => (high << 112n) | low;

/** The cuts around a prefix (its first address and the one after its last). */
function prefixCuts(out: Set<bigint>, value: bigint, length: number): void {
  const host = (1n << BigInt(128 - length)) - 1n;
  const lo = value & ~host & ALL_V6;
  out.add(lo);
  if (lo + host < ALL_V6) out.add(lo + host + 1n);
}

function sorted(cuts: Set<bigint>): bigint[] {
  cuts.delete(0n);
  return [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const V6_CUTS = new WeakMap<Host, HostCutsV6>();

/** Where the host's answers about an IPv6 address may change (src/host/routing.ts, addrtype.ts, nat-address.ts); made once per host. */
export function hostCutsV6(host: Host): HostCutsV6 {
  let cuts = V6_CUTS.get(host);
  if (!cuts) V6_CUTS.set(host, (cuts = makeCutsV6(host)));
  return cuts;
}

function makeCutsV6(host: Host): HostCutsV6 {
  const dst = new Set<bigint>();
  const point = (set: Set<bigint>, v: bigint) => prefixCuts(set, v, 128);
  for (const route of [...host.routes, ...localRoutesV6(host)]) {
    if (route.destination.family !== "ipv6") continue;
    prefixCuts(dst, route.destination.value, route.prefixLength);
    if (route.gateway?.family === "ipv6") point(dst, route.gateway.value);
  }
  const own: bigint[] = [];
  for (const iface of host.interfaces)
    for (const a of iface.addresses) {
      if (a.address.family !== "ipv6") continue;
      own.push(a.address.value);
      point(dst, a.address.value);
      prefixCuts(dst, a.address.value, a.prefixLength);
      // Its solicited-node group, which every device with the address joins.
      point(dst, group(0xff02n, (1n << 32n) | (0xffn << 24n) | (a.address.value & 0xffffffn)));
    }
  for (const g of [group(0xff01n, 1n), group(0xff02n, 1n), group(0xff01n, 2n), group(0xff02n, 2n), group(0xff05n, 2n), 0n, 1n]) point(dst, g);
  prefixCuts(dst, 0xff00n << 112n, 8);
  prefixCuts(dst, 0xfe80n << 112n, 10);
  // IPv4-mapped addresses are not unicast to -m addrtype.
  prefixCuts(dst, 0xffffn << 32n, 96);
  const routingSrc = new Set<bigint>();
  for (const v of [0n, 1n]) point(routingSrc, v);
  prefixCuts(routingSrc, 0xff00n << 112n, 8);
  prefixCuts(routingSrc, 0xfe80n << 112n, 10);
  const receiveSrc = new Set<bigint>();
  point(receiveSrc, 1n);
  prefixCuts(receiveSrc, 0xff00n << 112n, 8);
  prefixCuts(receiveSrc, 0xffffn << 32n, 96);
  const receiveDst = new Set<bigint>();
  point(receiveDst, 1n);
  // Scope is the low nibble of the second byte, whatever the flags in the high one.
  for (let flags = 0n; flags < 16n; flags++) for (const scope of [0n, 1n]) prefixCuts(receiveDst, group(0xff00n | (flags << 4n) | scope, 0n), 16);
  const masquerade = new Set(dst);
  for (const a of own) for (let length = 0; length <= 128; length++) prefixCuts(masquerade, a, length);
  return { routing: { src: sorted(routingSrc), dst: sorted(dst) }, receive: { src: sorted(receiveSrc), dst: sorted(receiveDst) }, masquerade: { dst: sorted(masquerade) } };
}

/** The pieces of IPv6 space between consecutive cuts, as inclusive ranges. */
export function v6Pieces(cuts: readonly bigint[] | undefined): [bigint, bigint][] {
  const starts = [0n, ...(cuts ?? [])];
  return starts.map((lo, i): [bigint, bigint] => [lo, i + 1 < starts.length ? starts[i + 1]! - 1n : ALL_V6]);
}

export function setHostView(family: Family, cuts: readonly number[], v6: HostCutsV6 | undefined, ipsets: IpsetContents | undefined): SetHostView {
  const pieces = family === "ipv4" ? iv.cutAt([0, 0xffffffff], cuts) : [];
  const v6Ranges = family === "ipv6" ? v6Pieces(v6!.routing.dst) : [];
  return {
    addressesWhere(field: AddressField, test: (address: Address) => boolean): PacketSet {
      if (family === "ipv6")
        return addressRanges(
          field,
          "ipv6",
          v6Ranges.filter(([lo]) => test({ family: "ipv6", value: lo })),
        );
      let out: Intervals = iv.NO_VALUES;
      for (const piece of pieces) if (test({ family: "ipv4", value: piece[0]! })) out = iv.union(out, piece);
      return boxOf({ [field]: out });
    },
    // IPv6 ipsets are not read as packet sets: their matches stay undetermined.
    ipsetPackets: (name, directions, returnNomatch) => (ipsets && family === "ipv4" ? ipsetPackets(ipsets, name, directions, returnNomatch) : undefined),
  };
}

/**
 * An ipset of addresses (hash:ip, hash:net, bitmap:ip) as packets: the
 * members by the side `directions` names, a more specific `nomatch` entry
 * cutting its range out of a wider member (ip_set_test's longest match).
 * Other set types: undefined (the walk then says it cannot know).
 */
function ipsetPackets(ipsets: IpsetContents, name: string, directions: readonly ("src" | "dst")[], returnNomatch: boolean): PacketSet | undefined {
  const set = ipsets.sets.get(name);
  const side = directions[0];
  if (set?.dimensions.length !== 1 || (set.dimensions[0] !== "ip" && set.dimensions[0] !== "net") || side === undefined) return undefined;
  const members = [...set.members].sort((a, b) => prefixOf(a.parts[0]!) - prefixOf(b.parts[0]!));
  let held: Intervals = iv.NO_VALUES;
  for (const member of members) {
    const part = member.parts[0]!;
    if ((part.kind !== "ip" && part.kind !== "net") || part.address.family !== "ipv4") return undefined;
    const size = 2 ** (32 - part.prefixLength);
    const lo = Math.floor(part.address.value / size) * size;
    const values = [lo, lo + size - 1];
    held = member.nomatch && !returnNomatch ? iv.minus(held, values) : iv.union(held, values);
  }
  return held.length === 0 ? EMPTY : boxOf({ [side]: held });
}

function prefixOf(part: { readonly kind: string; readonly prefixLength?: number }): number {
  return part.prefixLength ?? 32;
}
