/**
 * A packet as the kernel sees it at one point of its way through the host:
 * the IP header fields the matches read and the transport header.
 * Values are immutable; NAT and mangling make new packets.
 */
import type { Family } from "../model/types.js";

/** An IPv4 address as a 32-bit unsigned number, an IPv6 address as a 128-bit bigint. */
export type Address = { readonly family: "ipv4"; readonly value: number } | { readonly family: "ipv6"; readonly value: bigint };

export type PortProtocol = "tcp" | "udp" | "udplite" | "sctp" | "dccp";

export const PROTOCOL_NUMBERS = { icmp: 1, tcp: 6, udp: 17, dccp: 33, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132, udplite: 136 } as const;

export type Transport =
  | { readonly kind: "tcp"; readonly sport: number; readonly dport: number /** FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128 */; readonly flags: number }
  | { readonly kind: "udp" | "udplite" | "sctp" | "dccp"; readonly sport: number; readonly dport: number }
  | { readonly kind: "icmp" | "icmpv6"; readonly type: number; readonly code: number }
  | { readonly kind: "other" };

/** A packet's headers as netfilter sees them: family, addresses, protocol, transport (ports, TCP flags, ICMP type), TTL, TOS, length, fragment offset. */
export interface Packet {
  readonly family: Family;
  readonly src: Address;
  readonly dst: Address;
  /** IP protocol number (IPv6: the upper-layer protocol). */
  readonly protocol: number;
  readonly transport: Transport;
  /** TTL or hop limit. */
  readonly ttl: number;
  /** The TOS byte (IPv6: traffic class): DSCP in the upper six bits, ECN below. */
  readonly tos: number;
  /** Length of the whole IP packet in bytes. */
  readonly length: number;
  /** Fragment offset in 8-byte units; 0 for a whole packet or a first fragment. */
  readonly fragmentOffset: number;
  readonly moreFragments: boolean;
}

export function hasPorts(t: Transport): t is Extract<Transport, { sport: number }> {
  return "sport" in t;
}
