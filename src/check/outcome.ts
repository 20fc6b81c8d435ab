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
 */
import type { Outcome } from "../engine/types.js";
import { formatIPv4, parseIPv4 } from "../model/address.js";
import { PORT_PROTOCOLS } from "../ext/set-semantics.js";
import type { Treatment } from "../sets/reach.js";
import { boxOf, FIELD_INDEX, intersect, type PacketSet } from "../sets/packet-set.js";

export type ExpectedOutcome = "reaches" | "delivered" | "forwarded" | "sent" | "dropped" | "rejected" | "not-reachable";

/** An address and, optionally, a port of the header after NAT. */
export interface Endpoint {
  readonly address: number;
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

/** Reads the phrase; a refusal says which word is wrong. */
export function parseOutcomeSpec(text: string): OutcomeSpecResult {
  const words: Word[] = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], at: m.index }));
  try {
    return { ok: true, spec: readSpec(words) };
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const word = e.word ?? { text: " ", at: text.length };
    return { ok: false, message: e.message, at: word.at, length: word.text.length };
  }
}

function readSpec(words: readonly Word[]): OutcomeSpec {
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
      natFrom = endpoint(next());
      i++;
    }
    if (is("to")) {
      i++;
      natTo = endpoint(next());
      i++;
    }
    if (!natFrom && !natTo) throw new SpecError('"after NAT" needs "from ADDR[:PORT]" or "to ADDR[:PORT]"', next());
  }
  const extra = next();
  if (extra !== undefined) throw new SpecError(`unexpected "${extra.text}" (expected: [not] OUTCOME [via IFACE] [after NAT [from ADDR[:PORT]] [to ADDR[:PORT]]])`, extra);
  return { negated, outcome, ...(via !== undefined && { via }), ...(natFrom && { natFrom }), ...(natTo && { natTo }) };
}

function endpoint(word: Word | undefined): Endpoint {
  if (word === undefined) throw new SpecError("expected an IPv4 address, with a port or not: 172.17.0.2:80", undefined);
  const m = /^([0-9.]+)(?::(\d+))?$/.exec(word.text);
  const address = m ? parseIPv4(m[1]!) : undefined;
  if (!m || address === undefined) throw new SpecError(`"${word.text}" is not an IPv4 address with an optional port, such as 172.17.0.2:80`, word);
  if (m[2] === undefined) return { address };
  const port = Number(m[2]);
  if (port > 65535) throw new SpecError(`port ${m[2]} is outside 0-65535`, word);
  return { address, port };
}

export function outcomeSpecText(spec: OutcomeSpec): string {
  const end = (e: Endpoint) => formatIPv4(e.address) + (e.port === undefined ? "" : `:${e.port}`);
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
  const conditions: [field: "src" | "dst" | "sport" | "dport", value: number | undefined][] = [
    ["src", spec.natFrom?.address],
    ["sport", spec.natFrom?.port],
    ["dst", spec.natTo?.address],
    ["dport", spec.natTo?.port],
  ];
  for (const [field, value] of conditions) {
    if (value === undefined) continue;
    const rewritten = treatment.rewrite[FIELD_INDEX[field]];
    if (rewritten !== undefined && rewritten !== value) return [];
    // Only packets with ports have a port to match.
    const portless = field === "sport" || field === "dport" ? { proto: PORT_PROTOCOLS } : {};
    having = intersect(having, boxOf({ ...portless, ...(rewritten === undefined && { [field]: [value, value] }) }));
  }
  return having;
}
