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

type ProtocolName = keyof typeof PROTOCOL_NUMBERS;

const PROTOCOL_NAMES: ReadonlyMap<number, ProtocolName> = new Map(Object.entries(PROTOCOL_NUMBERS).map(([name, n]) => [n, name as ProtocolName]));

/** The name a PACKET gives a protocol number (`tcp` for 6), whatever the family (ext/values.ts has iptables' names). */
export const packetProtocolName = (protocol: number): ProtocolName | undefined => PROTOCOL_NAMES.get(protocol);

/**
 * ICMP's number in the other family: 1 over IPv6, 58 over IPv4. Such a packet exists
 * (ip6tables' `-p icmp` matches next header 1) but the kernel reads no ICMP header of
 * it; a PACKET writes its protocol as the number, since the name means the family's
 * own ICMP.
 */
export function isOtherFamilyIcmp(protocol: number, family: Family): boolean {
  return protocol === (family === "ipv4" ? PROTOCOL_NUMBERS.icmpv6 : PROTOCOL_NUMBERS.icmp);
}

/** Why a PACKET refuses the other family's ICMP by name (`icmp` over IPv6), and how to write that protocol. */
export function otherFamilyIcmpName(family: Family): string {
  return family === "ipv6" ? 'use "icmpv6" for IPv6 (a packet of next header 1 is "1 SRC -> DST")' : 'use "icmp" for IPv4 (a packet of protocol 58 is "58 SRC -> DST")';
}

/** The protocol as a PACKET writes it: its name, or the number when it has none in the family. */
export function protocolWord(protocol: number, family: Family): string {
  const name = PROTOCOL_NAMES.get(protocol);
  return name === undefined || isOtherFamilyIcmp(protocol, family) ? String(protocol) : name;
}

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

/** Header fields a rewrite changes (NAT, forwarding, targets such as TTL or DSCP); the others stay. */
export interface HeaderChange {
  readonly src?: Address;
  readonly dst?: Address;
  readonly transport?: Transport;
  readonly ttl?: number;
  readonly tos?: number;
}

// A changed packet or header is one object literal with every field in the order the packet
// reader (spec.ts) writes them, never a spread: each spread copy gets a hidden class of its own,
// and the matches, which read the packet at every rule, slow down with every class they meet.

/** The packet with `change` made. */
export function withHeader(packet: Packet, change: HeaderChange): Packet {
  return {
    family: packet.family,
    src: change.src ?? packet.src,
    dst: change.dst ?? packet.dst,
    protocol: packet.protocol,
    transport: change.transport ?? packet.transport,
    ttl: change.ttl ?? packet.ttl,
    tos: change.tos ?? packet.tos,
    length: packet.length,
    fragmentOffset: packet.fragmentOffset,
    moreFragments: packet.moreFragments,
  };
}

/** The transport header with these ports (and TCP flags). */
export function withPorts(t: Extract<Transport, { sport: number }>, sport: number, dport: number, flags = t.kind === "tcp" ? t.flags : 0): Transport {
  return t.kind === "tcp" ? { kind: t.kind, sport, dport, flags } : { kind: t.kind, sport, dport };
}
