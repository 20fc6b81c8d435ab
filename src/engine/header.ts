/**
 * The matches every rule has (ip_packet_match / ip6_packet_match): addresses
 * under masks, interfaces with a trailing `+` wildcard, protocol, fragments.
 */
import type { Cidr, HeaderMatch, Negatable } from "../model/types.js";
import type { Address, Packet } from "../packet/packet.js";

export function inCidr(address: Address, cidr: Cidr): boolean {
  if (address.family === "ipv4" && cidr.family === "ipv4") return ((address.value & cidr.mask) >>> 0) === cidr.address;
  if (address.family === "ipv6" && cidr.family === "ipv6") return (address.value & cidr.mask) === cidr.address;
  return false;
}

/** iptables compares the name up to its length, or up to the `+` for a wildcard; no device is the empty name. */
export function interfaceMatches(pattern: string, device: string | undefined): boolean {
  const name = device ?? "";
  return pattern.endsWith("+") ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function holds<T>(test: Negatable<T> | undefined, result: (value: T) => boolean): boolean {
  return test === undefined || result(test.value) !== test.negated;
}

export function headerMatches(header: HeaderMatch, packet: Packet, inInterface: string | undefined, outInterface: string | undefined): boolean {
  return (
    holds(header.source, (c) => inCidr(packet.src, c)) &&
    holds(header.destination, (c) => inCidr(packet.dst, c)) &&
    holds(header.inInterface, (p) => interfaceMatches(p, inInterface)) &&
    holds(header.outInterface, (p) => interfaceMatches(p, outInterface)) &&
    holds(header.protocol, (p) => packet.protocol === p) &&
    holds(header.fragment, () => packet.fragmentOffset !== 0)
  );
}
