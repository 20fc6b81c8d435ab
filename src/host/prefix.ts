/**
 * Address arithmetic routing needs: prefixes, and the special ranges the kernel tests by name
 * (ipv4_is_zeronet, ipv4_is_loopback, ipv4_is_multicast, ipv4_is_lbcast, ipv6_addr_type).
 */
import { parseIPv4, parseIPv6 } from "../model/address.js";
import type { Family } from "../model/types.js";
import type { Address } from "../packet/packet.js";

const ALL_V6 = (1n << 128n) - 1n;

export function bitsOf(family: Family): number {
  return family === "ipv4" ? 32 : 128;
}

/** The value of `address` with everything after the first `length` bits cleared (a Map key). */
export function networkKey(address: Address, length: number): number | bigint {
  if (address.family === "ipv4") return length === 0 ? 0 : (address.value & (0xffffffff << (32 - length))) >>> 0;
  return length === 0 ? 0n : address.value & ((ALL_V6 << BigInt(128 - length)) & ALL_V6);
}

export function inPrefix(address: Address, network: Address, length: number): boolean {
  return address.family === network.family && networkKey(address, length) === networkKey(network, length);
}

/** The network address of `address/length`. */
export function networkOf(address: Address, length: number): Address {
  return address.family === "ipv4" ? { family: "ipv4", value: networkKey(address, length) as number } : { family: "ipv6", value: networkKey(address, length) as bigint };
}

/** The IPv4 subnet broadcast address of `address/length`. */
export function broadcastOf(address: Extract<Address, { family: "ipv4" }>, length: number): Address {
  const host = length === 32 ? 0 : 0xffffffff >>> length;
  return { family: "ipv4", value: (address.value | host) >>> 0 };
}

/** The family an address text is written in: IPv6 has colons. */
export function familyOfText(text: string): Family {
  return text.includes(":") ? "ipv6" : "ipv4";
}

/** An address written as text (`10.0.0.1`, `2001:db8::1`), or undefined when it is not one of `family`. */
export function parseAddress(text: string, family: Family = familyOfText(text)): Address | undefined {
  if (family === "ipv4") {
    const v = parseIPv4(text);
    return v === undefined ? undefined : { family, value: v };
  }
  const v = parseIPv6(text);
  return v === undefined ? undefined : { family, value: v };
}

export function ipv4(value: number): Address {
  return { family: "ipv4", value: value >>> 0 };
}

export function ipv6(value: bigint): Address {
  return { family: "ipv6", value };
}

/** ipv4_is_zeronet: since Linux 5.3 only 0.0.0.0 itself; the rest of 0.0.0.0/8 is ordinary unicast. */
export const isZeronet = (v: number): boolean => v === 0;
/** 127.0.0.0/8 (ipv4_is_loopback). */
export const isLoopbackV4 = (v: number): boolean => v >>> 24 === 127;
/** 224.0.0.0/4 (ipv4_is_multicast). */
export const isMulticastV4 = (v: number): boolean => v >>> 28 === 0xe;
/** 255.255.255.255 (ipv4_is_lbcast). */
export const isLimitedBroadcast = (v: number): boolean => v === 0xffffffff;
/** 224.0.0.0/24 (ipv4_is_local_multicast). */
export const isLocalMulticastV4 = (v: number): boolean => v >>> 8 === 0xe00000;

export const V6_LOOPBACK = 1n;
export const isMulticastV6 = (v: bigint): boolean => v >> 120n === 0xffn;
/** fe80::/10 */
export const isLinkLocalV6 = (v: bigint): boolean => v >> 118n === 0x3fan;
/** ::ffff:0:0/96 */
export const isV4MappedV6 = (v: bigint): boolean => v >> 32n === 0xffffn;
/** The scope nibble of a multicast address (1 interface-local, 2 link-local, 5 site, e global). */
export const multicastScopeV6 = (v: bigint): number => Number((v >> 112n) & 0xfn);

export { formatAddress, sameAddress } from "../packet/format.js";
