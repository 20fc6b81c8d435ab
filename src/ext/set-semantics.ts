/**
 * The second interpretation of a match: over a set of packets at once
 * (src/sets). Beside its concrete predicate, a match may say which packets of
 * the set it holds for, as a packet set over the modelled header fields
 * (protocol, addresses, ports); every other thing it may read (marks,
 * connection state, interfaces, TTL, TCP flags, …) is the same for every
 * packet the set walk holds together, so the concrete predicate on any one of
 * them answers for all (`whole`). What a match cannot state exactly is
 * `unknown` for the packets concerned, never a guess (fffuu's three values).
 */
import { fromRanges, type Intervals } from "../sets/intervals.js";
import { boxOf, EMPTY, EVERYTHING, type PacketSet } from "../sets/packet-set.js";
import type { Address } from "../packet/packet.js";
import type { MatchEnv, MatchResult } from "./semantics.js";

export interface SetMatchResult {
  /** The packets the match holds for. */
  readonly match: PacketSet;
  /** Packets nfwalk cannot decide, and why; disjoint from `match`. The rest do not match. */
  readonly unknown?: { readonly set: PacketSet; readonly reason: string };
}

/** A match that reads the modelled header fields only (MatchExtension.headerOnly). */
export interface HeaderOnlySet {
  /** The packets it holds for, unfragmented or first fragments. */
  readonly set: PacketSet;
  /** It holds for a later fragment (no transport header) of a packet of the set too; port matches never do (the kernel's par->fragoff test). */
  readonly laterFragments: boolean;
}

/** What the host answers for whole address ranges. */
export interface SetHostView {
  /**
   * The packets whose address in `field` passes `test`, a question about what
   * the host makes of an address (its type, as `-m addrtype` asks): asked once
   * for each piece of address space the host treats alike.
   */
  addressesWhere(field: "src" | "dst", test: (address: Address) => boolean): PacketSet;
  /**
   * The packets whose element an ipset holds: `member` those it holds (a `nomatch`
   * entry counts with returnNomatch), undefined when the set's contents cannot be
   * written as a set of packets (not given, or a type the set walk does not read).
   */
  ipsetPackets(name: string, directions: readonly ("src" | "dst")[], returnNomatch: boolean): PacketSet | undefined;
}

export interface SetMatchEnv {
  /** One packet of the set, as the concrete walk would see it at this step. */
  readonly concrete: MatchEnv;
  /** The same, with a packet of `protocol` (its TCP flags, ICMP type, … are the set's own). */
  probe(protocol: number): MatchEnv;
  readonly host: SetHostView;
}

/** The concrete answer, for a match that reads none of the set's fields. */
export function whole(result: MatchResult): SetMatchResult {
  if (result === true) return MATCH_ALL;
  if (result === false) return MATCH_NONE;
  return { match: EMPTY, unknown: { set: EVERYTHING, reason: result.unknown } };
}

const MATCH_ALL: SetMatchResult = { match: EVERYTHING };
const MATCH_NONE: SetMatchResult = { match: EMPTY };

export function exactly(match: PacketSet): SetMatchResult {
  return { match };
}

/** Packets of `protocols` whose port is in `values`, or (negated) not in them. */
export function fieldIn(field: "sport" | "dport", values: Intervals, negated: boolean, protocols?: Intervals): PacketSet {
  const max = 65535;
  const list = negated ? complementOf(values, max) : values;
  return boxOf({ ...(protocols && { proto: protocols }), [field]: list });
}

function complementOf(values: Intervals, max: number): Intervals {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < values.length; i += 2) {
    if (values[i]! > next) out.push(next, values[i]! - 1);
    next = values[i + 1]! + 1;
  }
  if (next <= max) out.push(next, max);
  return out;
}

/** Protocols whose packets a set walk builds apart (their transport headers differ); every other protocol is built alike. */
const PROTOCOL_CLASSES: readonly number[] = [1, 6, 17, 33, 58, 132, 136];

/**
 * The answer for a match that reads, beside what a set flow holds one value
 * of (TTL, TOS, TCP flags, ICMP type, marks, …), only what the protocol
 * makes of the packet (its length, whether it has TCP flags): asked of one
 * packet of each protocol class.
 */
export function byProtocol(env: SetMatchEnv, test: (env: MatchEnv) => MatchResult): SetMatchResult {
  const held: number[] = [];
  const open: number[] = [];
  let reason = "";
  const others = complementOf(
    PROTOCOL_CLASSES.flatMap((p) => [p, p]),
    255,
  );
  const classes: Intervals[] = [...PROTOCOL_CLASSES.map((p) => [p, p]), others];
  for (const protocols of classes) {
    const answer = test(env.probe(protocols[0]!));
    if (answer === true) held.push(...protocols);
    else if (answer !== false) {
      open.push(...protocols);
      reason = answer.unknown;
    }
  }
  const sorted = (list: number[]) => fromPairs(list);
  const match = held.length === 0 ? EMPTY : boxOf({ proto: sorted(held) });
  return open.length === 0 ? { match } : { match, unknown: { set: boxOf({ proto: sorted(open) }), reason } };
}

/** Flat [lo, hi, …] pairs in any order as one sorted interval list. */
function fromPairs(list: readonly number[]): Intervals {
  const pairs: [number, number][] = [];
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
  return fromRanges(pairs);
}

/** The protocols that carry ports (what `hasPorts` accepts). */
export const PORT_PROTOCOLS: Intervals = [6, 6, 17, 17, 33, 33, 132, 132, 136, 136];
