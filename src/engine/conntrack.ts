/**
 * The state connection tracking gives a packet that belongs to no known
 * connection (nf_conntrack_in for a fresh flow), per protocol:
 * nf_conntrack_proto_tcp.c (tcp_error, tcp_new with nf_conntrack_tcp_loose=1),
 * nf_conntrack_proto_icmp.c / icmpv6.c (valid_new, noct_valid_new; INVALID for the
 * other family's ICMP number), and NEW for everything else (udp, udplite, gre, generic).
 */
import type { Tuple } from "../ext/semantics.js";
import { hasPorts, isOtherFamilyIcmp, type Packet } from "../packet/packet.js";

export type FirstPacketState = { readonly state: "NEW"; readonly why: string } | { readonly state: "INVALID"; readonly why: string } | { readonly state: "UNTRACKED"; readonly why: string };

const FIN = 0x01,
  SYN = 0x02,
  RST = 0x04,
  ACK = 0x10,
  URG = 0x20;

/** tcp_valid_flags[]: the combinations of FIN, SYN, RST, ACK, URG that are not nonsense (PSH, ECE, CWR never matter). */
const VALID_TCP_FLAGS = new Set([SYN, SYN | URG, SYN | ACK, RST, RST | ACK, FIN | ACK, FIN | ACK | URG, ACK, ACK | URG]);

/** ICMP types that may open a connection: echo, timestamp, info and address-mask requests. */
const ICMP_NEW = new Set([8, 13, 15, 17]);
/** ICMP errors are RELATED to the connection they quote, and INVALID when it does not exist. */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
/** ICMPv6 echo request and node information query open connections. */
const ICMPV6_NEW = new Set([128, 139]);
/** MLD and neighbour discovery are never tracked (noct_valid_new). */
const ICMPV6_UNTRACKED = new Set([130, 131, 132, 133, 134, 135, 136, 143]);
const ICMPV6_ERRORS = new Set([1, 2, 3, 4]);

export function firstPacketState(packet: Packet): FirstPacketState {
  const t = packet.transport;
  switch (t.kind) {
    case "tcp":
      return tcpState(t.flags);
    case "icmp":
      if (ICMP_NEW.has(t.type)) return { state: "NEW", why: `ICMP type ${t.type} is a request that opens a connection` };
      if (ICMP_ERRORS.has(t.type)) return { state: "INVALID", why: `an ICMP error (type ${t.type}) about no known connection is INVALID` };
      return { state: "INVALID", why: `ICMP type ${t.type} answers a request conntrack has not seen, so it is INVALID` };
    case "icmpv6":
      if (ICMPV6_NEW.has(t.type)) return { state: "NEW", why: `ICMPv6 type ${t.type} is a request that opens a connection` };
      if (ICMPV6_UNTRACKED.has(t.type)) return { state: "UNTRACKED", why: `conntrack never tracks neighbour discovery and MLD (ICMPv6 type ${t.type})` };
      if (ICMPV6_ERRORS.has(t.type)) return { state: "INVALID", why: `an ICMPv6 error (type ${t.type}) about no known connection is INVALID` };
      return { state: "INVALID", why: `ICMPv6 type ${t.type} answers a request conntrack has not seen, so it is INVALID` };
    default:
      // The ICMP trackers take their protocol number in either family and refuse the other family's (nf_conntrack_icmp_packet, nf_conntrack_icmpv6_packet).
      if (isOtherFamilyIcmp(packet.protocol, packet.family))
        return { state: "INVALID", why: `conntrack's ICMP tracker refuses protocol ${packet.protocol} over ${packet.family === "ipv4" ? "IPv4" : "IPv6"}, so it is INVALID` };
      return { state: "NEW", why: "the first packet of a flow starts a new connection" };
  }
}

function tcpState(flags: number): FirstPacketState {
  const relevant = flags & (FIN | SYN | RST | ACK | URG);
  if (!VALID_TCP_FLAGS.has(relevant)) return { state: "INVALID", why: "this combination of TCP flags is never valid (tcp_error)" };
  if (relevant & RST) return { state: "INVALID", why: "a RST for no known connection is INVALID" };
  if (relevant & SYN) {
    return relevant & ACK ? { state: "INVALID", why: "a SYN-ACK for no known connection is INVALID" } : { state: "NEW", why: "a SYN opens a new connection" };
  }
  if (relevant & FIN) return { state: "INVALID", why: "a FIN for no known connection is INVALID" };
  return { state: "NEW", why: "conntrack picks up a connection mid-stream from a lone ACK (nf_conntrack_tcp_loose=1), so it is NEW" };
}

/**
 * The conntrack tuple of a packet. For ICMP the kernel keeps the echo
 * identifier as the source "port" (a described packet has none: undefined)
 * and type and code as the destination "port" (dst.u.icmp, read as one
 * 16-bit number by -m conntrack).
 */
export function tupleOf(packet: Packet): Tuple {
  const t = packet.transport;
  const { src, dst, protocol } = packet;
  if (hasPorts(t)) return { src, dst, protocol, sport: t.sport, dport: t.dport };
  if (t.kind === "icmp" || t.kind === "icmpv6") return { src, dst, protocol, sport: undefined, dport: (t.type << 8) | t.code };
  return { src, dst, protocol, sport: undefined, dport: undefined };
}

/** ICMP requests and the replies conntrack expects for them (nf_conntrack_invert_icmp(v6)_tuple). */
const ICMP_REPLY_TYPE: Readonly<Record<number, Readonly<Record<number, number>>>> = {
  1: { 8: 0, 13: 14, 15: 16, 17: 18 },
  58: { 128: 129, 139: 140 },
};

/** The tuple the replies will carry. */
export function reverseTuple(t: Tuple): Tuple {
  const icmp = ICMP_REPLY_TYPE[t.protocol];
  if (icmp && t.dport !== undefined) {
    const replyType = icmp[t.dport >> 8] ?? t.dport >> 8;
    return { src: t.dst, dst: t.src, protocol: t.protocol, sport: t.sport, dport: (replyType << 8) | (t.dport & 0xff) };
  }
  return { src: t.dst, dst: t.src, protocol: t.protocol, sport: t.dport, dport: t.sport };
}
