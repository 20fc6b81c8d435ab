/**
 * A rule's conditions one by one: each header field (-s -d -i -o -p -f) and
 * each option of each match, evaluated on its own against the packet at one
 * point of its way, with what the packet has there in plain words. Built on
 * the engine's `headerMatches` and the extensions' own `match()` and
 * `explain`, so a condition holds here exactly when it holds in a trace.
 */
import { headerMatches } from "../ext/header.js";
import { isUnknown, type MatchEnv, type MatchResult } from "../ext/semantics.js";
import { protocolName } from "../ext/values.js";
import { formatRule } from "../ruleset/save.js";
import { useOptions } from "../ruleset/options.js";
import { multiport } from "../ext/match/multiport.js";
import { tcp } from "../ext/match/tcp.js";
import { udp } from "../ext/match/udp.js";
import type { Family, HeaderMatch } from "../model/types.js";
import type { MatchUse, Rule } from "../ruleset/types.js";
import { formatAddress } from "../packet/format.js";
import { isOtherFamilyIcmp } from "../packet/packet.js";

export interface Condition {
  /** As iptables-save writes it: `! -i docker0`, `-m tcp --dport 8080`. */
  readonly text: string;
  readonly result: "holds" | "fails" | "unknown";
  /** What the packet has here, in words ("its destination port is 80"); absent when there is nothing specific to say. */
  readonly packetHas?: string;
}

/** A condition and the match part it tests (none for a header field), for explanations that look at its options. */
export interface TestedCondition extends Condition {
  readonly use?: MatchUse;
}

const HEADER_FIELDS = ["source", "destination", "inInterface", "outInterface", "protocol", "fragment"] as const;
type HeaderField = (typeof HEADER_FIELDS)[number];

export function ruleConditions(rule: Rule, env: MatchEnv, family: Family): TestedCondition[] {
  const header = HEADER_FIELDS.filter((field) => rule.header[field] !== undefined).map((field) => headerCondition(rule, field, env, family));
  return [...header, ...rule.matches.flatMap((use) => parts(use).map((part) => matchCondition(rule, part, env, family)))];
}

function result(r: MatchResult): Condition["result"] {
  return isUnknown(r) ? "unknown" : r ? "holds" : "fails";
}

/** The rule's text for just these header fields and matches, without `-A CHAIN`. */
function textOf(rule: Rule, header: HeaderMatch, matches: readonly MatchUse[], family: Family): string {
  return formatRule({ ...rule, header, matches, action: null }, family).slice(`-A ${rule.chain} `.length);
}

function headerCondition(rule: Rule, field: HeaderField, env: MatchEnv, family: Family): Condition {
  const header: HeaderMatch = { [field]: rule.header[field] };
  const holds = headerMatches(header, env.packet, env.inInterface, env.outInterface);
  return { text: textOf(rule, header, [], family), result: holds ? "holds" : "fails", packetHas: headerWords(field, env) };
}

function headerWords(field: HeaderField, env: MatchEnv): string {
  const p = env.packet;
  switch (field) {
    case "source":
      return `its source is ${formatAddress(p.src)}`;
    case "destination":
      return `its destination is ${formatAddress(p.dst)}`;
    case "inInterface":
      return env.inInterface === undefined ? "it arrives on no interface (the host sends it)" : `it arrives on ${env.inInterface}`;
    case "outInterface":
      return env.outInterface === undefined ? "it has no output interface at this point" : `it leaves through ${env.outInterface}`;
    case "protocol": {
      // The other family's ICMP (next header 1 over IPv6) is no ICMP: its number, as trace reads it.
      const name = isOtherFamilyIcmp(p.protocol, p.family) ? undefined : protocolName(p.protocol);
      return `it is ${name ?? `protocol ${p.protocol}`}`;
    }
    case "fragment":
      return p.fragmentOffset === 0 ? "it is not a later fragment" : "it is a later fragment";
  }
}

/** A match split into the parts its extension explains one by one (tcp's ports, conntrack's options); other matches stay whole. */
function parts(use: MatchUse): MatchUse[] {
  const pieces = use.extension.explain?.parts?.(use.options) ?? [];
  return pieces.length > 1 ? pieces.map((options) => ({ ...use, options })) : [use];
}

function matchCondition(rule: Rule, use: MatchUse, env: MatchEnv, family: Family): TestedCondition {
  const ext = use.extension;
  const r: MatchResult = ext.match ? ext.match(use.options, env) : { unknown: `nfwalk does not model -m ${ext.name}` };
  const packetHas = ext.explain?.packetHas(use.options, env);
  return { text: textOf(rule, {}, [use], family), result: result(r), ...(packetHas !== undefined && { packetHas }), use };
}

/** Whether the condition tests the destination port (tcp's or udp's --dport, multiport's --dports). */
export function testsDestinationPort(c: TestedCondition): boolean {
  const use = c.use;
  if (!use) return false;
  return useOptions(use, tcp)?.dport !== undefined || useOptions(use, udp)?.dport !== undefined || useOptions(use, multiport)?.direction === "destination";
}
