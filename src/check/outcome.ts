/**
 * What an expectation of `nfwalk check` asks of every packet of its set,
 * written as a phrase and read here:
 *
 *     [not] OUTCOME [via IFACE] [after NAT [from ADDR[:PORT]] [to ADDR[:PORT]]]
 *
 * OUTCOME is one of trace's outcomes (`delivered`, `forwarded`, `sent`,
 * `dropped`, `rejected`) or a union of them: `reaches` (delivered, forwarded
 * or sent: trace's exit 0) and `not-reachable` (dropped or rejected: trace's
 * exit 1). `via` names the egress interface of forwarded and sent packets;
 * `after NAT` the header the packet has once every NAT rewrite is done (a
 * packet no rule rewrote keeps its own). `not` asks that no packet has it.
 * ADDR is of either family, an IPv6 one in brackets when a port follows
 * (`[fd00:2::2]:80`), as in PACKET.
 */
import type { Outcome } from "../engine/types.js";
import { parseAddress } from "../host/prefix.js";
import type { Family } from "../model/types.js";
import { PORT_PROTOCOLS } from "../ext/set-semantics.js";
import { formatEndpoint } from "../packet/format.js";
import type { Address } from "../packet/packet.js";
import { addressPoint, fromWords, wordPositions } from "../sets/address-set.js";
import type { Treatment } from "../sets/reach.js";
import { boxOf, EMPTY, FIELD_INDEX, intersect, type PacketSet } from "../sets/packet-set.js";

export type ExpectedOutcome = "reaches" | "delivered" | "forwarded" | "sent" | "dropped" | "rejected" | "not-reachable";

/** An address and, optionally, a port of the header after NAT. */
export interface Endpoint {
  readonly address: Address;
  readonly port?: number;
}

export interface OutcomeSpec {
  /** `not`: no packet of the set may have the outcome. */
  readonly negated: boolean;
  readonly outcome: ExpectedOutcome;
  /** The egress interface (forwarded, sent). */
  readonly via?: string;
  /** The header after NAT: its source and destination. */
  readonly natFrom?: Endpoint;
  readonly natTo?: Endpoint;
}

/** The trace outcomes each expected outcome takes in. */
const TAKES: Readonly<Record<ExpectedOutcome, readonly Outcome[]>> = {
  reaches: ["delivered", "forwarded", "sent"],
  delivered: ["delivered"],
  forwarded: ["forwarded"],
  sent: ["sent"],
  dropped: ["dropped"],
  rejected: ["rejected"],
  "not-reachable": ["dropped", "rejected"],
};

const WITH_INTERFACE: readonly ExpectedOutcome[] = ["forwarded", "sent"];
const WITH_HEADER: readonly ExpectedOutcome[] = ["reaches", "delivered", "forwarded", "sent"];

export type OutcomeSpecResult =
  | { readonly ok: true; readonly spec: OutcomeSpec }
  /** `at`/`length`: the characters of the phrase the message is about. */
  | { readonly ok: false; readonly message: string; readonly at: number; readonly length: number };

interface Word {
  readonly text: string;
  readonly at: number;
}

class SpecError extends Error {
  constructor(
    message: string,
    readonly word: Word | undefined,
  ) {
    super(message);
  }
}

export const EXPECTED_OUTCOMES = Object.keys(TAKES) as ExpectedOutcome[];

/**
 * Reads the phrase; a refusal says which word is wrong. With a family, the
 * NAT addresses must be of it (the rules' family: a dump holds one).
 */
export function parseOutcomeSpec(text: string, family?: Family): OutcomeSpecResult {
  const words: Word[] = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], at: m.index }));
  try {
    return { ok: true, spec: readSpec(words, family) };
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const word = e.word ?? { text: " ", at: text.length };
    return { ok: false, message: e.message, at: word.at, length: word.text.length };
  }
}

function readSpec(words: readonly Word[], family: Family | undefined): OutcomeSpec {
  let i = 0;
  const next = (): Word | undefined => words[i];
  const is = (keyword: string) => next()?.text.toLowerCase() === keyword;
  const negated = is("not");
  if (negated) i++;
  const first = next();
  if (first === undefined) throw new SpecError(`expected an outcome: ${EXPECTED_OUTCOMES.join(", ")} (or no-change)`, undefined);
  const outcome = first.text.toLowerCase() as ExpectedOutcome;
  if (!(outcome in TAKES)) throw new SpecError(`unknown outcome "${first.text}" (${EXPECTED_OUTCOMES.join(", ")}, or no-change)`, first);
  if (negated && outcome === "not-reachable") throw new SpecError('"not not-reachable" is "reaches"', first);
  i++;
  let via: string | undefined;
  if (is("via")) {
    if (!WITH_INTERFACE.includes(outcome)) throw new SpecError(`"via IFACE" goes with forwarded and sent, the outcomes that leave by an interface`, next());
    i++;
    via = next()?.text;
    if (via === undefined) throw new SpecError('"via" needs an interface name, e.g. "forwarded via docker0"', undefined);
    i++;
  }
  let natFrom: Endpoint | undefined;
  let natTo: Endpoint | undefined;
  if (is("after")) {
    const after = next()!;
    if (!WITH_HEADER.includes(outcome)) throw new SpecError(`"after NAT" goes with outcomes whose packet gets through (${WITH_HEADER.join(", ")})`, after);
    i++;
    if (!is("nat")) throw new SpecError('expected "after NAT from ADDR[:PORT]" or "after NAT to ADDR[:PORT]"', next());
    i++;
    if (is("from")) {
      i++;
      natFrom = endpoint(next(), family);
      i++;
    }
    if (is("to")) {
      i++;
      natTo = endpoint(next(), family);
      i++;
    }
    if (!natFrom && !natTo) throw new SpecError('"after NAT" needs "from ADDR[:PORT]" or "to ADDR[:PORT]"', next());
  }
  const extra = next();
  if (extra !== undefined) throw new SpecError(`unexpected "${extra.text}" (expected: [not] OUTCOME [via IFACE] [after NAT [from ADDR[:PORT]] [to ADDR[:PORT]]])`, extra);
  return { negated, outcome, ...(via !== undefined && { via }), ...(natFrom && { natFrom }), ...(natTo && { natTo }) };
}

const ENDPOINT_EXAMPLES: Readonly<Record<Family | "either", string>> = { ipv4: "172.17.0.2:80", ipv6: "[fd00:2::2]:80", either: "172.17.0.2:80 or [fd00:2::2]:80" };

/** `172.17.0.2`, `172.17.0.2:80`, `fd00:2::2`, `[fd00:2::2]:80`. */
function endpoint(word: Word | undefined, family: Family | undefined): Endpoint {
  const example = ENDPOINT_EXAMPLES[family ?? "either"];
  if (word === undefined) throw new SpecError(`expected an address, with a port or not: ${example}`, undefined);
  const parts = endpointParts(word.text);
  const address = parts && parseAddress(parts.address);
  if (!parts || address === undefined) throw new SpecError(`"${word.text}" is not an address with an optional port, such as ${example}`, word);
  if (family !== undefined && address.family !== family) {
    const [found, rules] = family === "ipv4" ? ["IPv6", "an iptables (IPv4)"] : ["IPv4", "an ip6tables (IPv6)"];
    throw new SpecError(`"${word.text}" is an ${found} address, and the rules are ${rules} dump`, word);
  }
  if (parts.port === undefined) return { address };
  const port = Number(parts.port);
  if (port > 65535) throw new SpecError(`port ${parts.port} is outside 0-65535`, word);
  return { address, port };
}

/** As in PACKET: an IPv6 address with a port is in brackets; two colons or more without them are an address alone. */
function endpointParts(text: string): { address: string; port?: string } | undefined {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { address: bracketed[1]!, ...(bracketed[2] !== undefined && { port: bracketed[2] }) };
  if (text.indexOf(":") !== text.lastIndexOf(":")) return { address: text };
  const plain = /^([^:]*)(?::(\d+))?$/.exec(text);
  return plain ? { address: plain[1]!, ...(plain[2] !== undefined && { port: plain[2] }) } : undefined;
}

export function outcomeSpecText(spec: OutcomeSpec): string {
  const end = (e: Endpoint) => formatEndpoint(e.address, e.port);
  const nat = spec.natFrom || spec.natTo ? ` after NAT${spec.natFrom ? ` from ${end(spec.natFrom)}` : ""}${spec.natTo ? ` to ${end(spec.natTo)}` : ""}` : "";
  return `${spec.negated ? "not " : ""}${spec.outcome}${spec.via !== undefined ? ` via ${spec.via}` : ""}${nat}`;
}

/**
 * The packets of `set`, all treated as `treatment` says, that have the outcome
 * the spec names (its `not` left aside). A header field NAT set is the same
 * for all of them; one it left alone is the packet's own.
 */
export function havingOutcome(set: PacketSet, treatment: Treatment, spec: OutcomeSpec): PacketSet {
  if (!TAKES[spec.outcome].includes(treatment.outcome)) return [];
  if (spec.via !== undefined && treatment.interface !== spec.via) return [];
  let having = set;
  for (const [field, end] of [
    ["src", spec.natFrom],
    ["dst", spec.natTo],
  ] as const) {
    if (end === undefined) continue;
    having = withAddress(having, treatment, field, end.address);
    if (end.port !== undefined) having = withPort(having, treatment, field === "src" ? "sport" : "dport", end.port);
  }
  return having;
}

/** The packets of `set` whose header, once NAT is done, has `address` in `field`. */
function withAddress(set: PacketSet, treatment: Treatment, field: "src" | "dst", address: Address): PacketSet {
  const rewritten = rewrittenAddress(treatment, address.family, field);
  if (rewritten === undefined) return intersect(set, addressPoint(field, address.family, address.value));
  return rewritten.value === address.value ? set : EMPTY;
}

/** The address NAT gave `field`, or undefined when no rule rewrote it. */
export function rewrittenAddress(treatment: Treatment, family: Family, field: "src" | "dst"): Address | undefined {
  // NAT sets a whole address: IPv4's one box position, or IPv6's four words.
  const words = (family === "ipv4" ? [FIELD_INDEX[field]] : wordPositions(field)).map((i) => treatment.rewrite[i]);
  if (words[0] === undefined) return undefined;
  return family === "ipv4" ? { family, value: words[0] } : { family, value: fromWords(words as number[]) };
}

/** The same for a port; only packets with ports have one. */
function withPort(set: PacketSet, treatment: Treatment, field: "sport" | "dport", port: number): PacketSet {
  const rewritten = treatment.rewrite[FIELD_INDEX[field]];
  if (rewritten !== undefined && rewritten !== port) return EMPTY;
  return intersect(set, boxOf({ proto: PORT_PROTOCOLS, ...(rewritten === undefined && { [field]: [port, port] }) }));
}
