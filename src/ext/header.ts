/**
 * The matches every rule has (ip_packet_match / ip6_packet_match): addresses
 * under masks, interfaces with a trailing `+` wildcard, protocol, fragments.
 */
import type { Cidr, HeaderMatch, Negatable } from "../model/types.js";
import { fromRanges, minus, type Intervals } from "../sets/intervals.js";
import { boxOf, EMPTY, EVERYTHING, intersect, type PacketSet } from "../sets/packet-set.js";
import { negatedIf, v6Prefix } from "../sets/address-set.js";
import { prefixLength } from "../model/address.js";
import type { Address, Packet } from "../packet/packet.js";

export function inCidr(address: Address, cidr: Cidr): boolean {
  if (address.family === "ipv4" && cidr.family === "ipv4") return (address.value & cidr.mask) >>> 0 === cidr.address;
  if (address.family === "ipv6" && cidr.family === "ipv6") return (address.value & cidr.mask) === cidr.address;
  return false;
}

/** iptables compares the name up to its length, or up to the `+` for a wildcard; no device is the empty name. */
export function interfaceMatches(pattern: string, device: string | undefined): boolean {
  const name = device ?? "";
  return pattern.endsWith("+") ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

export function headerMatches(header: HeaderMatch, packet: Packet, inInterface: string | undefined, outInterface: string | undefined): boolean {
  // Written out rather than with a helper taking closures: this runs for every rule a packet meets.
  const { source, destination, protocol } = header;
  if (source !== undefined && inCidr(packet.src, source.value) === source.negated) return false;
  if (destination !== undefined && inCidr(packet.dst, destination.value) === destination.negated) return false;
  if (header.inInterface !== undefined && interfaceMatches(header.inInterface.value, inInterface) === header.inInterface.negated) return false;
  if (header.outInterface !== undefined && interfaceMatches(header.outInterface.value, outInterface) === header.outInterface.negated) return false;
  if (protocol !== undefined && (packet.protocol === protocol.value) === protocol.negated) return false;
  if (header.fragment !== undefined && (packet.fragmentOffset !== 0) === header.fragment.negated) return false;
  return true;
}

/**
 * The same matches over a set of packets: addresses and protocol as packet
 * sets, interfaces (one pair for the whole set) decided at once; a set's
 * packets are never later fragments. Undefined for a mask with so many holes
 * that its ranges are not worth listing (IPv6: any mask that is not a prefix).
 */
export function headerSet(header: HeaderMatch, inInterface: string | undefined, outInterface: string | undefined): PacketSet | undefined {
  if (header.inInterface !== undefined && interfaceMatches(header.inInterface.value, inInterface) === header.inInterface.negated) return EMPTY;
  if (header.outInterface !== undefined && interfaceMatches(header.outInterface.value, outInterface) === header.outInterface.negated) return EMPTY;
  if (header.fragment !== undefined && !header.fragment.negated) return EMPTY;
  const { source, destination, protocol } = header;
  const proto = protocol === undefined ? undefined : protocol.negated ? minus([0, 255], [protocol.value, protocol.value]) : [protocol.value, protocol.value];
  if (source?.value.family === "ipv6" || destination?.value.family === "ipv6") {
    const src = source ? v6AddressSet("src", source) : EVERYTHING;
    const dst = destination ? v6AddressSet("dst", destination) : EVERYTHING;
    if (src === undefined || dst === undefined) return undefined;
    return intersect(boxOf({ proto }), intersect(src, dst));
  }
  const src = source && addressValues(source);
  const dst = destination && addressValues(destination);
  if (src === null || dst === null) return undefined;
  return boxOf({ src, dst, proto });
}

/** The IPv6 packets whose address is in the prefix, or all others; undefined for a mask that is not a prefix. */
function v6AddressSet(field: "src" | "dst", c: Negatable<Cidr>): PacketSet | undefined {
  const length = prefixLength(c.value);
  if (length === undefined || c.value.family !== "ipv6") return undefined;
  return negatedIf(c.negated, v6Prefix(field, c.value.address, length));
}

/** At most this many ranges for one non-contiguous mask. */
const MAX_MASK_RANGES = 4096;

/** The IPv4 addresses equal to the CIDR's address under its mask, or all others; null when there are too many ranges. */
function addressValues(c: Negatable<Cidr>): Intervals | null {
  if (c.value.family !== "ipv4") return [0, 0xffffffff];
  const mask = c.value.mask >>> 0;
  const address = c.value.address >>> 0;
  // Host bits below the lowest network bit make each range; every other host bit doubles the ranges.
  const low = mask === 0 ? 32 : 31 - Math.clz32((mask & -mask) >>> 0);
  const size = 2 ** low;
  let starts = [address];
  for (let bit = low; bit < 32; bit++) {
    if ((mask >>> bit) & 1) continue;
    starts = starts.flatMap((s) => [s, s + 2 ** bit]);
    if (starts.length > MAX_MASK_RANGES) return null;
  }
  const values = fromRanges(starts.map((s): [number, number] => [s, s + size - 1]));
  return c.negated ? minus([0, 0xffffffff], values) : values;
}
