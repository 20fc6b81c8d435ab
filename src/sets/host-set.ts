/**
 * The host over whole address ranges. Routing, `-m addrtype`, MASQUERADE's
 * and REDIRECT's address choice ask the same questions of every address
 * between two consecutive "cuts": the ends of every route's prefix, of every
 * interface address's subnet, the addresses themselves, and the ranges the
 * kernel treats specially (0/8, 127/8, 224/4 and its local groups, 240/4,
 * 255.255.255.255). So answering for one address of each piece answers for
 * the piece, and a set of packets is split there only.
 */
import type { AddressType } from "../ext/semantics.js";
import type { SetHostView } from "../ext/set-semantics.js";
import { addressType, type Host } from "../host/index.js";
import type { IpsetContents } from "../host/ipset.js";
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

/** Protocols routing treats apart (IGMP to a multicast group), and those conntrack does (ICMP, TCP). */
export const PROTOCOL_CUTS: readonly number[] = [1, 2, 3, 6, 7];

export function setHostView(host: Host, cuts: readonly number[], ipsets: IpsetContents | undefined): SetHostView {
  const pieces = iv.cutAt([0, 0xffffffff], cuts);
  return {
    addressesWhere(test: (type: AddressType) => boolean, device: string | undefined): Intervals {
      let out: Intervals = iv.NO_VALUES;
      for (const piece of pieces) if (test(addressType(host, { family: "ipv4", value: piece[0]! }, device))) out = iv.union(out, piece);
      return out;
    },
    ipsetPackets: (name, directions, returnNomatch) => (ipsets ? ipsetPackets(ipsets, name, directions, returnNomatch) : undefined),
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
