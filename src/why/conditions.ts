/**
 * A rule's conditions one by one: each header field (-s -d -i -o -p -f) and
 * each option of each match, evaluated on its own against the packet at one
 * point of its way, with what the packet has there in plain words. Built on
 * the engine's `headerMatches` and the extensions' own `match()`, so a
 * condition holds here exactly when it holds in a trace.
 */
import { headerMatches } from "../ext/header.js";
import { formatCtStates, ctStateBits } from "../ext/match/ct-state.js";
import { formatTcpFlags } from "../ext/match/tcp.js";
import { isUnknown, type MatchEnv, type MatchResult } from "../ext/semantics.js";
import { protocolName } from "../ext/values.js";
import { formatRule } from "../ruleset/save.js";
import type { Family, HeaderMatch } from "../model/types.js";
import type { MatchUse, Rule } from "../ruleset/types.js";
import { formatAddress, formatEndpoint } from "../packet/format.js";
import { hasPorts } from "../packet/packet.js";

export interface Condition {
  /** As iptables-save writes it: `! -i docker0`, `-m tcp --dport 8080`. */
  readonly text: string;
  readonly result: "holds" | "fails" | "unknown";
  /** What the packet has here, in words ("its destination port is 80"); absent when there is nothing specific to say. */
  readonly packetHas?: string;
}

const HEADER_FIELDS = ["source", "destination", "inInterface", "outInterface", "protocol", "fragment"] as const;
type HeaderField = (typeof HEADER_FIELDS)[number];

export function ruleConditions(rule: Rule, env: MatchEnv, family: Family): Condition[] {
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
    case "protocol":
      return `it is ${protocolName(p.protocol) ?? `protocol ${p.protocol}`}`;
    case "fragment":
      return p.fragmentOffset === 0 ? "it is not a later fragment" : "it is a later fragment";
  }
}

/**
 * A match split into its options where they are independent (tcp, udp,
 * conntrack, addrtype), so each can be reported alone; other matches stay whole.
 */
function parts(use: MatchUse): MatchUse[] {
  const pieces = optionPieces(use.extension.name, use.options as Record<string, unknown>);
  return pieces.length > 1 ? pieces.map((options) => ({ ...use, options })) : [use];
}

function optionPieces(extension: string, o: Record<string, unknown>): object[] {
  const defined = Object.entries(o).filter(([, v]) => v !== undefined);
  switch (extension) {
    case "tcp":
    case "udp":
      return defined.map(([k, v]) => ({ [k]: v }));
    case "addrtype": {
      const limit = o["limitInterface"] === undefined ? {} : { limitInterface: o["limitInterface"] };
      return defined.filter(([k]) => k !== "limitInterface").map(([k, v]) => ({ [k]: v, ...limit }));
    }
    case "conntrack": {
      const empty = { addresses: {}, ports: {} };
      const tuple = (field: "addresses" | "ports") => Object.entries(o[field] as object).map(([k, v]) => ({ ...empty, [field]: { [k]: v } }));
      const scalars = defined.filter(([k]) => k !== "addresses" && k !== "ports").map(([k, v]) => ({ ...empty, [k]: v }));
      return [...scalars, ...tuple("addresses"), ...tuple("ports")];
    }
    default:
      return [];
  }
}

function matchCondition(rule: Rule, use: MatchUse, env: MatchEnv, family: Family): Condition {
  const ext = use.extension;
  const r: MatchResult = ext.match ? ext.match(use.options, env) : { unknown: `nfwalk does not model -m ${ext.name}` };
  const packetHas = matchWords(use, env);
  return { text: textOf(rule, {}, [use], family), result: result(r), ...(packetHas !== undefined && { packetHas }) };
}

function matchWords(use: MatchUse, env: MatchEnv): string | undefined {
  const o = use.options as Record<string, unknown>;
  const t = env.packet.transport;
  const has = (key: string) => o[key] !== undefined;
  switch (use.extension.name) {
    case "tcp":
    case "udp":
    case "multiport":
      if (!hasPorts(t)) return `it has no ports`;
      if (has("dport") || o["direction"] === "destination") return `its destination port is ${t.dport} here`;
      if (has("sport") || o["direction"] === "source") return `its source port is ${t.sport}`;
      if (has("flags") && t.kind === "tcp") return `its TCP flags are ${formatTcpFlags(t.flags) || "none"}`;
      return `its ports are ${t.sport} -> ${t.dport}`;
    case "state":
      return `its connection state is ${formatCtStates(ctStateBits(env.conntrack))}`;
    case "conntrack":
      return conntrackWords(o, env);
    case "addrtype": {
      const which = has("destination") ? "destination" : "source";
      const address = which === "destination" ? env.packet.dst : env.packet.src;
      // As the match asks it: with --limit-iface-in/out, the type the address has on that interface.
      const device = o["limitInterface"] === "in" ? env.inInterface : o["limitInterface"] === "out" ? env.outInterface : undefined;
      return `its ${which} ${formatAddress(address)} is of type ${env.host.addressType(address, device)}${device === undefined ? "" : ` on ${device}`}`;
    }
    case "set":
      return setWords(o, env);
    default:
      return undefined;
  }
}

function conntrackWords(o: Record<string, unknown>, env: MatchEnv): string | undefined {
  const ct = env.conntrack;
  if (o["ctstate"] !== undefined) return `its connection state is ${formatCtStates(ctStateBits(ct))}`;
  if (o["ctdir"] !== undefined) return `it travels in the ${ct.reply ? "reply" : "original"} direction`;
  const original = ct.original;
  if (original === undefined) return undefined;
  return `its connection began as ${formatEndpoint(original.src, original.sport)} -> ${formatEndpoint(original.dst, original.dport)}`;
}

/** `-m set`: the element the packet gives the set, and whether the given ipset contents hold it. */
function setWords(o: Record<string, unknown>, env: MatchEnv): string | undefined {
  const name = String(o["name"]);
  const directions = o["directions"] as readonly ("src" | "dst")[];
  const answer = env.host.ipset(name, directions, env.packet);
  if (answer === undefined || typeof answer === "object") return undefined;
  const d = directions[0];
  const what = directions.length === 1 && d ? `its ${d === "src" ? "source" : "destination"} ${formatAddress(d === "src" ? env.packet.src : env.packet.dst)}` : "its element";
  return `${what} is ${answer === "member" ? "in" : "not in"} the set ${name}`;
}
