/**
 * The matches every rule has (ip_packet_match / ip6_packet_match): addresses
 * under masks, interfaces with a trailing `+` wildcard, protocol, fragments.
 */
import type { Cidr, HeaderMatch } from "../model/types.js";
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
