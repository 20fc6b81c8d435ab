/**
 * Port ranges as libxtables' XTTYPE_PORTRC reads them (udp, dccp, conntrack's
 * --ct*port): each end goes through getaddrinfo(3), so it is a tcp or udp
 * service name or a decimal number that the 16-bit field then truncates
 * (70000 becomes 4464); an empty end is 0 or 65535, and the order of the two
 * ends is not checked (`5:3` loads and matches nothing).
 */
import type { Token } from "../../parse/syntax.js";
import { SERVICE_PORTS } from "../data/services.js";
import type { OptionUse, ParseContext } from "../types.js";
import { plainDecimal, SharedValues, type Range } from "../values.js";
import { hasPorts } from "../../packet/packet.js";
import type { MatchEnv } from "../semantics.js";

/** A port option of tcp, udp, dccp or sctp: its range and polarity. */
export interface PortMatch {
  readonly range: Range;
  readonly negated: boolean;
}

/** getaddrinfo(NULL, text, NULL): digits (strtoul base 10, truncated to 16 bits) or a tcp/udp service. */
function serviceOrNumber(ctx: ParseContext, token: Token, text: string): number {
  // Plain digits (the usual port) are read without a regular expression and a BigInt.
  const plain = plainDecimal(text);
  if (plain !== undefined) return plain % 65536;
  if (/^\s*\+?[0-9]+$/.test(text)) return Number(BigInt(text.trim()) % 65536n);
  const port = SERVICE_PORTS.get(`${text}/tcp`) ?? SERVICE_PORTS.get(`${text}/udp`);
  return port ?? ctx.fail(token, `port "${text}" does not resolve to anything`, "bad-port");
}

export function parsePortRangeRC(ctx: ParseContext, token: Token): Range {
  const text = token.text;
  const colon = text.indexOf(":");
  if (colon !== -1 && text.indexOf(":", colon + 1) !== -1) ctx.fail(token, `too many ":" in port range "${text}" (at most one)`, "bad-port");
  const low = colon === -1 ? text : text.slice(0, colon);
  const min = low === "" ? 0 : serviceOrNumber(ctx, token, low);
  if (colon === -1) return { min, max: min };
  const high = text.slice(colon + 1);
  return { min, max: high === "" ? 65535 : serviceOrNumber(ctx, token, high) };
}

/** The port option of a use: its range and polarity. */
export function portMatch(ctx: ParseContext, use: OptionUse): PortMatch {
  return sharedPortMatch(parsePortRangeRC(ctx, use.args[0]!), use.invert);
}

/** One key for each single port and polarity. */
function singlePortKey(range: Range, negated: boolean): number {
  return negated ? -1 - range.min : range.min;
}

const SINGLE_PORTS = new SharedValues<number, PortMatch>();

/** A port match; one object for each single port and polarity, shared by the rules that name it. */
export function sharedPortMatch(range: Range, negated: boolean): PortMatch {
  if (range.min !== range.max) return { range, negated };
  const key = singlePortKey(range, negated);
  return SINGLE_PORTS.get(key) ?? SINGLE_PORTS.add(key, { range: Object.freeze(range), negated });
}

/** Options that are one single-port match alone (tcp's or udp's `--dport 80`, the usual form): shared like the port match. */
export class SharedByPort<O extends object> {
  private readonly values = new SharedValues<number, O>();

  constructor(private readonly make: (match: PortMatch) => O) {}

  of(match: PortMatch): O {
    if (match.range.min !== match.range.max) return this.make(match);
    const key = singlePortKey(match.range, match.negated);
    return this.values.get(key) ?? this.values.add(key, this.make(match));
  }
}

/** Whether the match prints: iptables-save leaves out the full range 0:65535, negated or not. */
export function portsPrinted(match: PortMatch | undefined): match is PortMatch {
  return match !== undefined && !(match.range.min === 0 && match.range.max === 65535);
}

/**
 * What nf_tables keeps of a port option: a negated full range is dropped
 * (it emits no comparison), and a negated `0:hi` is a "greater than hi"
 * comparison that iptables-save prints as `hi+1:65535`.
 */
export function nftPortMatch(match: PortMatch): PortMatch | undefined {
  const { range, negated } = match;
  if (range.min === 0 && range.max === 65535) return negated ? undefined : match;
  if (negated && range.min === 0 && range.max > 0) return { range: { min: range.max + 1, max: 65535 }, negated: false };
  return match;
}

/** The packet's ports in words, for a match of the `side` port (tcp, udp and multiport explain them alike). */
export function portsWords(env: MatchEnv, side: "source" | "destination" | undefined): string {
  const t = env.packet.transport;
  if (!hasPorts(t)) return "it has no ports";
  if (side === "destination") return `its destination port is ${t.dport} here`;
  if (side === "source") return `its source port is ${t.sport}`;
  return `its ports are ${t.sport} -> ${t.dport}`;
}
