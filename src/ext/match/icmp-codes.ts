/**
 * ICMP and ICMPv6 type names and the `TYPE[/CODE[:CODE]]` argument, shared by
 * `-m icmp` and `-m icmp6` (iptables extensions/libxt_icmp.h).
 */
import type { Token } from "../../parse/syntax.js";
import type { ParseContext } from "../types.js";
import type { Range } from "../values.js";

/** [name, type, lowest code, highest code], in libxt_icmp.h's order. */
type IcmpName = readonly [string, number, number, number];

export const ICMP_NAMES: readonly IcmpName[] = [
  ["any", 255, 0, 255],
  ["echo-reply", 0, 0, 255],
  ["pong", 0, 0, 255],
  ["destination-unreachable", 3, 0, 255],
  ["network-unreachable", 3, 0, 0],
  ["host-unreachable", 3, 1, 1],
  ["protocol-unreachable", 3, 2, 2],
  ["port-unreachable", 3, 3, 3],
  ["fragmentation-needed", 3, 4, 4],
  ["source-route-failed", 3, 5, 5],
  ["network-unknown", 3, 6, 6],
  ["host-unknown", 3, 7, 7],
  ["network-prohibited", 3, 9, 9],
  ["host-prohibited", 3, 10, 10],
  ["TOS-network-unreachable", 3, 11, 11],
  ["TOS-host-unreachable", 3, 12, 12],
  ["communication-prohibited", 3, 13, 13],
  ["host-precedence-violation", 3, 14, 14],
  ["precedence-cutoff", 3, 15, 15],
  ["source-quench", 4, 0, 255],
  ["redirect", 5, 0, 255],
  ["network-redirect", 5, 0, 0],
  ["host-redirect", 5, 1, 1],
  ["TOS-network-redirect", 5, 2, 2],
  ["TOS-host-redirect", 5, 3, 3],
  ["echo-request", 8, 0, 255],
  ["ping", 8, 0, 255],
  ["router-advertisement", 9, 0, 255],
  ["router-solicitation", 10, 0, 255],
  ["time-exceeded", 11, 0, 255],
  ["ttl-exceeded", 11, 0, 255],
  ["ttl-zero-during-transit", 11, 0, 0],
  ["ttl-zero-during-reassembly", 11, 1, 1],
  ["parameter-problem", 12, 0, 255],
  ["ip-header-bad", 12, 0, 0],
  ["required-option-missing", 12, 1, 1],
  ["timestamp-request", 13, 0, 255],
  ["timestamp-reply", 14, 0, 255],
  ["address-mask-request", 17, 0, 255],
  ["address-mask-reply", 18, 0, 255],
];

export const ICMPV6_NAMES: readonly IcmpName[] = [
  ["destination-unreachable", 1, 0, 255],
  ["no-route", 1, 0, 0],
  ["communication-prohibited", 1, 1, 1],
  ["beyond-scope", 1, 2, 2],
  ["address-unreachable", 1, 3, 3],
  ["port-unreachable", 1, 4, 4],
  ["failed-policy", 1, 5, 5],
  ["reject-route", 1, 6, 6],
  ["packet-too-big", 2, 0, 255],
  ["time-exceeded", 3, 0, 255],
  ["ttl-exceeded", 3, 0, 255],
  ["ttl-zero-during-transit", 3, 0, 0],
  ["ttl-zero-during-reassembly", 3, 1, 1],
  ["parameter-problem", 4, 0, 255],
  ["bad-header", 4, 0, 0],
  ["unknown-header-type", 4, 1, 1],
  ["unknown-option", 4, 2, 2],
  ["echo-request", 128, 0, 255],
  ["ping", 128, 0, 255],
  ["echo-reply", 129, 0, 255],
  ["pong", 129, 0, 255],
  ["router-solicitation", 133, 0, 255],
  ["router-advertisement", 134, 0, 255],
  ["neighbour-solicitation", 135, 0, 255],
  ["neighbor-solicitation", 135, 0, 255],
  ["neighbour-advertisement", 136, 0, 255],
  ["neighbor-advertisement", 136, 0, 255],
  ["redirect", 137, 0, 255],
];

/** What the kernel compares: the type, and the code within a range (0:255 is any code). */
export interface IcmpTypeCode {
  readonly type: number;
  readonly codes: Range;
}

/** A leading strtoul(…, 0) number of at most 255, and the rest of the text. */
function leadingNumber(text: string): { value: number; rest: string } | undefined {
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (!m || Number(m[1]) > 255) return undefined;
  return { value: Number(m[1]), rest: text.slice(m[0].length) };
}

function leadingRange(text: string): { range: Range; rest: string } | undefined {
  const low = leadingNumber(text);
  if (!low || !low.rest.startsWith(":")) return low && { range: { min: low.value, max: low.value }, rest: low.rest };
  const high = leadingNumber(low.rest.slice(1));
  return high && { range: { min: low.value, max: high.value }, rest: high.rest };
}

/**
 * __parse_icmp: a unique case-insensitive prefix of a name, else
 * `TYPE[/CODE[:CODE]]` in numbers; a type range is refused.
 */
export function parseIcmpType(ctx: ParseContext, token: Token, names: readonly IcmpName[], what: string): IcmpTypeCode {
  const text = token.text;
  const found = names.filter(([name]) => name.toLowerCase().startsWith(text.toLowerCase()));
  if (found.length > 1) ctx.fail(token, `ambiguous ${what} type "${text}": "${found[0]![0]}" or "${found[1]![0]}"?`, "bad-value");
  const [named] = found;
  if (named) return { type: named[1], codes: { min: named[2], max: named[3] } };
  const types = leadingRange(text) ?? ctx.fail(token, `unknown ${what} type "${text}"`, "bad-value");
  if (types.range.min !== types.range.max) ctx.fail(token, `${what} type ranges are not supported`, "bad-value");
  if (types.rest === "") return { type: types.range.min, codes: { min: 0, max: 255 } };
  if (!types.rest.startsWith("/")) ctx.fail(token, `unexpected "${types.rest[0]}" in ${what} type "${text}"`, "bad-value");
  const codes = leadingRange(types.rest.slice(1)) ?? ctx.fail(token, `unknown ${what} code in "${text}"`, "bad-value");
  if (codes.rest !== "") ctx.fail(token, `unexpected "${codes.rest[0]}" in ${what} type "${text}"`, "bad-value");
  return { type: types.range.min, codes: codes.range };
}

/** icmp_save / icmp6_save: the type, and `/lowest code` unless all codes match. */
export function formatIcmpType(value: IcmpTypeCode): string {
  const { min, max } = value.codes;
  return min === 0 && max === 255 ? String(value.type) : `${value.type}/${min}`;
}

/** The type is the rule's and the code within its range (icmp_type_code_match without the inversion). */
export function icmpTypeCodeMatches(rule: IcmpTypeCode, packet: { readonly type: number; readonly code: number }): boolean {
  return packet.type === rule.type && packet.code >= rule.codes.min && packet.code <= rule.codes.max;
}
