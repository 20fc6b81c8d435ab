/**
 * ICMP and ICMPv6 type names and the `TYPE[/CODE[:CODE]]` argument, shared by
 * `-m icmp` and `-m icmp6` (iptables extensions/libxt_icmp.h).
 */
import type { Token } from "../../parse/syntax.js";
import type { ParseContext } from "../types.js";
import type { Range } from "../values.js";
import { ICMP_NAMES, ICMPV6_NAMES, type IcmpName } from "../../packet/icmp-names.js";

export { ICMP_NAMES, ICMPV6_NAMES };

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
  if (!low?.rest.startsWith(":")) return low && { range: { min: low.value, max: low.value }, rest: low.rest };
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
