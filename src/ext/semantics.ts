/**
 * What extensions see and say when the engine walks a packet through a rule:
 * matches answer true, false or "cannot know" (three-valued logic); targets
 * describe their effect and the engine carries it out.
 */
import type { Hook, TableName } from "../model/types.js";
import type { Address, Packet } from "../packet/packet.js";

/** nfwalk cannot tell whether the match holds, and says why. */
export interface Unknown {
  readonly unknown: string;
  /** For a random choice (statistic --mode random): the chance that the match holds. */
  readonly probability?: number;
}

/** A match's verdict: it holds, it does not, or nfwalk cannot tell (three-valued, as Iptables_Semantics keeps it). */
export type MatchResult = boolean | Unknown;

export function isUnknown(r: MatchResult): r is Unknown {
  return typeof r === "object";
}

/** Connection-tracking states as `-m conntrack --ctstate` names them. */
export type CtState = "INVALID" | "NEW" | "ESTABLISHED" | "RELATED" | "UNTRACKED" | "SNAT" | "DNAT";

/** The conntrack entry of the packet's flow, as far as matches can see it. */
export interface ConntrackView {
  /** INVALID and UNTRACKED packets have no entry; the other fields are then absent. */
  readonly state: "INVALID" | "UNTRACKED" | "NEW" | "ESTABLISHED" | "RELATED";
  /** The packet travels in the reply direction of its connection. */
  readonly reply: boolean;
  /** Original-direction tuple (before any NAT) and reply tuple (after NAT), when tracked. */
  readonly original?: Tuple;
  readonly replyTuple?: Tuple;
  /** IPS_* status bits (SEEN_REPLY, ASSURED, CONFIRMED, SRC_NAT, DST_NAT, …). */
  readonly status: number;
  readonly mark: number;
  readonly helper: string | undefined;
  readonly zone: number;
}

export interface Tuple {
  readonly src: Address;
  readonly dst: Address;
  readonly protocol: number;
  readonly sport: number | undefined;
  readonly dport: number | undefined;
}

/** What the host says about an address, for `-m addrtype` (RTN_* types). */
export type AddressType = "UNSPEC" | "UNICAST" | "LOCAL" | "BROADCAST" | "ANYCAST" | "MULTICAST" | "BLACKHOLE" | "UNREACHABLE" | "PROHIBIT" | "THROW" | "NAT" | "XRESOLVE";

/** What an ipset says of a packet's element: in the set, in it as a `nomatch` entry, not in it, or unknown. */
export type SetAnswer = "member" | "nomatch" | "absent" | Unknown;

export interface HostView {
  /** The route type of `address` (optionally restricted to routes through `device`, for --limit-iface-*). */
  addressType(address: Address, device?: string): AddressType;
  /** Looks the packet's element up in an ipset; undefined when the set's contents were not given. */
  ipset(name: string, directions: readonly ("src" | "dst")[], packet: Packet): SetAnswer | undefined;
}

/** Everything a match may read at one step of the walk. */
export interface MatchEnv {
  readonly packet: Packet;
  readonly hook: Hook;
  readonly table: TableName;
  readonly inInterface: string | undefined;
  readonly outInterface: string | undefined;
  /** Bridge ports when the packet is bridged or arrived through a bridge (for -m physdev). */
  readonly physIn: string | undefined;
  readonly physOut: string | undefined;
  /** skb->mark */
  readonly mark: number;
  readonly conntrack: ConntrackView;
  readonly host: HostView;
  /** The sending socket's owner, for locally generated packets. */
  readonly socket: { readonly uid: number; readonly gid: number } | undefined;
  /** How the Ethernet frame was addressed (for -m pkttype), and its source MAC. */
  readonly linkType: "unicast" | "broadcast" | "multicast" | undefined;
  readonly sourceMac: string | undefined;
}

/** What the kernel keeps beside the packet, which targets may change. */
export interface Meta {
  /** skb->mark (MARK) */
  readonly mark: number;
  /** The connection's mark (CONNMARK), seen by -m connmark. */
  readonly connmark: number;
  /** NOTRACK / CT --notrack: connection tracking leaves the packet alone. */
  readonly untracked: boolean;
  /** CT --zone: the conntrack zone the connection is tracked in. */
  readonly zone: number;
  /** CT --helper: the helper assigned to the connection. */
  readonly helper: string | undefined;
}

/**
 * The metadata with `change` made (a helper once set stays a name): one object literal in one
 * field order, not a spread, as packets are (withHeader in packet/packet.ts), since every match
 * environment holds it.
 */
export function withMeta(meta: Meta, change: Partial<Meta>): Meta {
  return {
    mark: change.mark ?? meta.mark,
    connmark: change.connmark ?? meta.connmark,
    untracked: change.untracked ?? meta.untracked,
    zone: change.zone ?? meta.zone,
    helper: change.helper ?? meta.helper,
  };
}

/** NF_NAT_RANGE_MAP_IPS: the addresses to map to, both ends included. */
export type NatAddressRange = { readonly family: "ipv4"; readonly min: number; readonly max: number } | { readonly family: "ipv6"; readonly min: bigint; readonly max: bigint };

/** NF_NAT_RANGE_PROTO_SPECIFIED: ports (or ICMP ids) to map to. */
export interface NatPortRange {
  readonly min: number;
  readonly max: number;
  /** NF_NAT_RANGE_PROTO_OFFSET (`a-b/base`): port `base` maps to `min`, the rest shift along. */
  readonly base?: number;
}

export interface NatRange {
  readonly addresses?: NatAddressRange;
  readonly ports?: NatPortRange;
  /** NF_NAT_RANGE_PROTO_RANDOM */
  readonly random: boolean;
  /** NF_NAT_RANGE_PROTO_RANDOM_FULLY */
  readonly randomFully: boolean;
  /** NF_NAT_RANGE_PERSISTENT */
  readonly persistent: boolean;
}

export type NatKind = "dnat" | "snat" | "masquerade" | "redirect" | "netmap";

/** What a NAT target asks for; the engine picks the address and port as nf_nat_setup_info does. */
export interface NatRequest {
  readonly kind: NatKind;
  /** Addresses and ports to map to (MASQUERADE and REDIRECT give ports at most: the address comes from the interface). */
  readonly range: NatRange;
  /** NETMAP: the prefix length whose host part is kept. */
  readonly netmapPrefix?: number;
}

/** What a target does. */
export type TargetEffect =
  | { readonly kind: "accept" }
  | { readonly kind: "drop" }
  | { readonly kind: "return" }
  | { readonly kind: "queue"; readonly description: string }
  | { readonly kind: "reject"; readonly reply: string }
  /**
   * The packet goes on to the next rule (LOG, MARK, CONNMARK, CT, TTL, …), its
   * metadata or header possibly changed; `note` tells the trace what happened.
   */
  | {
      readonly kind: "continue";
      readonly update?: (meta: Meta) => Meta;
      readonly rewrite?: (packet: Packet) => Packet;
      readonly note?: string;
    }
  /** NAT targets: set up the connection's binding; the nat chain walk then ends (NF_ACCEPT). */
  | { readonly kind: "nat"; readonly request: NatRequest }
  | { readonly kind: "unknown"; readonly reason: string };

/** Everything a target may read (a match's view plus the current metadata). */
export interface TargetEnv extends MatchEnv {
  readonly meta: Meta;
}
