/**
 * Value parsers shared by extensions, with libxtables' rules: numbers in
 * C's strtoul notation (decimal, 0x hex, leading-0 octal), ports by number or
 * service name, `a:b` ranges, `value/mask` marks.
 */
import { parseIPv4, parseIPv6 } from "../model/address.js";
import type { Token } from "../parse/syntax.js";
import { PROTOCOL_TABLE } from "./data/protocols.js";
import { SERVICE_PORTS } from "./data/services.js";
import type { ParseContext } from "./types.js";
import { truncateUtf8 } from "./utf8.js";

/** strtoul(s, NULL, 0) over the whole word; undefined when it is not a number. */
export function parseCNumber(text: string): bigint | undefined {
  const plain = plainDecimal(text);
  if (plain !== undefined) return BigInt(plain);
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  if (/^0[xX]/.test(digits)) return BigInt(digits);
  if (digits.length > 1 && digits.startsWith("0")) return BigInt("0o" + digits.slice(1));
  return BigInt(digits);
}

/**
 * A number of up to 9 decimal digits without a leading zero (nearly every
 * number of a dump: ports, counts), read without a regular expression;
 * undefined for anything else, which strtoul's other notations then read.
 */
export function plainDecimal(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 9 || (n > 1 && text.charCodeAt(0) === ZERO)) return undefined;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

const ZERO = 48;

/** strtod(s, &rest) on decimal notation: the number and the rest of the word, or undefined without digits. */
export function strtod(text: string): { readonly value: number; readonly rest: string } | undefined {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.*)$/s.exec(text);
  return m ? { value: Number(m[1]), rest: m[2]! } : undefined;
}

/** A whole number in [min, max], or a positioned failure naming `what`. */
export function parseUInt(ctx: ParseContext, token: Token, what: string, min: number, max: number): number {
  return parseUIntText(ctx, token, token.text, what, min, max);
}

export function parseUIntText(ctx: ParseContext, token: Token, text: string, what: string, min: number, max: number): number {
  // Most numbers are plain decimals in range: read without making a bigint.
  const plain = plainDecimal(text);
  if (plain !== undefined && plain >= min && plain <= max) return plain;
  const value = parseCNumber(text);
  if (value === undefined || value < BigInt(min) || value > BigInt(max)) {
    ctx.fail(token, `${what} "${text}" is not a number from ${min} to ${max}`, "bad-value");
  }
  return Number(value);
}

/** A 32-bit value with an optional /mask (mark, connmark): `0x10/0xff`. */
export interface ValueMask {
  readonly value: number;
  readonly mask: number;
}

export function parseValueMask(ctx: ParseContext, token: Token, what: string, defaultMask = 0xffffffff): ValueMask {
  const [valueText, maskText, extra] = token.text.split("/");
  if (extra !== undefined) ctx.fail(token, `${what} "${token.text}" has more than one "/"`, "bad-value");
  const value = parseUIntText(ctx, token, valueText ?? "", what, 0, 0xffffffff);
  const mask = maskText === undefined ? defaultMask : parseUIntText(ctx, token, maskText, `${what} mask`, 0, 0xffffffff);
  return { value, mask };
}

export function hex(value: number): string {
  return "0x" + (value >>> 0).toString(16);
}

/** A port by number or by the service name the protocol knows it by. */
export function parsePort(ctx: ParseContext, token: Token, text: string, protocol: string | undefined): number {
  // No service name starts with a digit: a number is not looked up as one.
  const byName = protocol === undefined || isDigit(text.charCodeAt(0)) ? undefined : SERVICE_PORTS.get(`${text}/${protocol}`);
  if (byName !== undefined) return byName;
  const plain = plainDecimal(text);
  if (plain !== undefined && plain <= 65535) return plain;
  const value = parseCNumber(text);
  if (value === undefined || value > 65535n) {
    ctx.fail(token, `invalid port/service "${text}" specified`, "bad-port");
  }
  return Number(value);
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= ZERO + 9;
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** `a`, `a:b`, `:b` (from 0), `a:` (to 65535); a reversed range is refused as iptables does. */
export function parsePortRange(ctx: ParseContext, token: Token, text: string, protocol: string | undefined): Range {
  const colon = text.indexOf(":");
  if (colon === -1) {
    const port = parsePort(ctx, token, text, protocol);
    return { min: port, max: port };
  }
  const lowText = text.slice(0, colon);
  const highText = text.slice(colon + 1);
  const min = lowText === "" ? 0 : parsePort(ctx, token, lowText, protocol);
  const max = highText === "" ? 65535 : parsePort(ctx, token, highText, protocol);
  if (min > max) ctx.fail(token, `invalid port range "${text}": the first port is above the second`, "bad-port");
  return { min, max };
}

/** `a` or `a:b` of plain numbers in [lo, hi]; `a:` and `:b` are open ends. */
export function parseNumberRange(ctx: ParseContext, token: Token, what: string, lo: number, hi: number): Range {
  const [a, b, extra] = token.text.split(":");
  if (extra !== undefined) ctx.fail(token, `${what} "${token.text}" has more than one ":"`, "bad-value");
  const min = a === "" ? lo : parseUIntText(ctx, token, a ?? "", what, lo, hi);
  const max = b === undefined ? min : b === "" ? hi : parseUIntText(ctx, token, b, what, lo, hi);
  if (min > max) ctx.fail(token, `${what} range "${token.text}" is reversed`, "bad-value");
  return { min, max };
}

export function formatRange(range: Range, separator = ":"): string {
  return range.min === range.max ? String(range.min) : `${range.min}${separator}${range.max}`;
}

const PROTOCOL_NUMBERS = new Map<string, number>();
const PROTOCOL_NAMES = new Map<number, string>();
for (const [name, number, aliases] of PROTOCOL_TABLE) {
  for (const alias of [name, ...aliases]) if (!PROTOCOL_NUMBERS.has(alias)) PROTOCOL_NUMBERS.set(alias, number);
  if (!PROTOCOL_NAMES.has(number)) PROTOCOL_NAMES.set(number, name);
}

/** libxtables' own names, looked at before /etc/protocols (xtables_chain_protos). */
const XTABLES_PROTOCOLS: readonly (readonly [string, number])[] = [
  ["tcp", 6],
  ["sctp", 132],
  ["udp", 17],
  ["udplite", 136],
  ["icmp", 1],
  ["ipv6-icmp", 58],
  ["icmpv6", 58],
  ["esp", 50],
  ["ah", 51],
  ["mobility-header", 135],
  ["ipv6-mh", 135],
  ["mh", 135],
  ["all", 0],
];
/** The list as maps, the first of a number's names winning as in a search of the list. */
const XTABLES_NUMBERS = new Map(XTABLES_PROTOCOLS);
const XTABLES_NAMES = new Map<number, string>();
for (const [name, number] of XTABLES_PROTOCOLS) if (!XTABLES_NAMES.has(number)) XTABLES_NAMES.set(number, name);

/** `-p` argument to protocol number, as xtables_parse_protocol does; undefined if unknown. */
export function protocolNumber(text: string): number | undefined {
  // libxtables' names first (no name is a number): `-p tcp` needs no reading as a number.
  const named = XTABLES_NUMBERS.get(text);
  if (named !== undefined) return named;
  const number = parseCNumber(text);
  if (number !== undefined) return number <= 255n ? Number(number) : undefined;
  return PROTOCOL_NUMBERS.get(text);
}

/** The name iptables-save prints for a protocol number (proto_to_name), or undefined for a bare number. */
export function protocolName(number: number): string | undefined {
  return XTABLES_NAMES.get(number) ?? PROTOCOL_NAMES.get(number);
}

/**
 * A string as iptables-save prints it (xtables_save_string): bare when it is
 * only letters, digits, `_` and `-`; otherwise in double quotes with `"`,
 * `\` and `'` escaped by a backslash. Includes the leading blank.
 */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return " " + value;
  // Most quoted values (kube-proxy's comments) have nothing to escape: no replace() is run over them.
  if (!value.includes('"') && !value.includes("\\") && !value.includes("'")) return ` "${value}"`;
  return ` "${value.replace(/["\\']/g, (c) => "\\" + c)}"`;
}

/**
 * A string option stored in a fixed-size kernel field (XTOPT_PUT of an
 * XTTYPE_STRING): libxtables silently cuts it to `size - 1` bytes; nfwalk
 * cuts it the same way and says so.
 */
export function putString(ctx: ParseContext, token: Token, size: number, what: string): string {
  const cut = truncateUtf8(token.text, size - 1);
  if (cut !== token.text) ctx.warn(token, `${what} is longer than ${size - 1} bytes; iptables keeps only "${cut}"`, "truncated");
  return cut;
}

/** How C's printf("%d") shows a 32-bit unsigned field: above 2^31 - 1 it turns negative. */
export function int32(value: number): number {
  return value | 0;
}

/**
 * A numeric IPv4 host as getaddrinfo reads it (inet_aton): one to four parts
 * in C notation, the last filling the remaining bytes (`10.1` is 10.0.0.1,
 * `24` is 0.0.0.24). libxtables' XTTYPE_HOST options go through it.
 */
export function inetAton(text: string): number | undefined {
  // The usual dotted quad is read as such (a leading 0 would be octal to strtoul); the other notations go through strtoul.
  const dotted = parseIPv4(text);
  if (dotted !== undefined && !hasOctalOctet(text)) return dotted;
  const parts = text.split(".").map(parseCNumber);
  if (parts.length > 4 || parts.some((p) => p === undefined)) return undefined;
  const values = parts as bigint[];
  const last = values.at(-1)!;
  const leading = values.slice(0, -1);
  if (leading.some((p) => p > 255n) || last >= 1n << BigInt(8 * (5 - values.length))) return undefined;
  return Number(leading.reduce((acc, p, i) => acc | (p << BigInt(24 - 8 * i)), last));
}

/** An octet written with a leading 0 and more digits (`010`): octal to inet_aton. */
function hasOctalOctet(text: string): boolean {
  for (let i = 0; i + 1 < text.length; i++) {
    if (text.charCodeAt(i) === ZERO && (i === 0 || text[i - 1] === ".") && isDigit(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/** One of a fixed set of words (strcmp, case-sensitive, as most extensions compare them). */
export function parseKeyword<const K extends string>(ctx: ParseContext, token: Token, keywords: readonly K[], what: string): K {
  // A loop, not find(): it runs for every keyword option of a dump, mostly before V8 optimizes it.
  for (const keyword of keywords) if (keyword === token.text) return keyword;
  return ctx.fail(token, `invalid ${what} "${token.text}": ${keywords.join(" or ")}`, "bad-value");
}

/**
 * A prefix length as libxtables' XTTYPE_PLEN reads it: a number up to the
 * family's address length, or else a numeric mask (`255.255.0.0`,
 * `ffff::`, even `33` read as the host 0.0.0.33). A mask that is not
 * contiguous gives 255, the -1 of its uint8 field: XTTYPE_PLENMASK options
 * then get a full mask, and the kernel refuses it where it wants a length.
 */
export function parsePrefixLength(ctx: ParseContext, token: Token, text: string, family: "ipv4" | "ipv6"): number {
  const full = family === "ipv4" ? 32 : 128;
  const number = /^\s*\+?(0[xX][0-9a-fA-F]+|\d+)$/.test(text) ? parseCNumber(text) : undefined;
  if (number !== undefined && number <= BigInt(full)) return Number(number);
  const v4 = family === "ipv4" ? inetAton(text) : undefined;
  const mask = v4 === undefined ? (family === "ipv6" ? parseIPv6(text) : undefined) : BigInt(v4);
  if (mask === undefined) ctx.fail(token, `"${text}" is neither a prefix length from 0 to ${full} nor a network mask`, "bad-value");
  const bits = mask.toString(2).padStart(full, "0");
  if (!/^1*0*$/.test(bits)) return 255;
  const zero = bits.indexOf("0");
  return zero === -1 ? full : zero;
}

/**
 * libxtables' XTTYPE_UINT16RC / UINT32RC: `a`, `a:b`, `:b` (from 0), `a:`
 * (to max). Unlike parseNumberRange it keeps a reversed range, as
 * libxtables does; extensions that refuse one check it themselves.
 */
export function parseUIntRange(ctx: ParseContext, token: Token, what: string, max: number): Range {
  const [a, b, extra] = token.text.split(":");
  if (extra !== undefined) ctx.fail(token, `${what} "${token.text}" has more than one ":"`, "bad-value");
  const min = a === "" ? 0 : parseUIntText(ctx, token, a!, what, 0, max);
  return { min, max: b === undefined ? min : b === "" ? max : parseUIntText(ctx, token, b, what, 0, max) };
}

/** At most this many values of one kind are shared, so a long-running process does not grow with what it loads. */
const SHARED_LIMIT = 1 << 16;

/**
 * Option values that many rules have alike, made once and shared by them (the model is
 * read-only, and each is frozen): a dump names a few hundred ports on thousands of rules,
 * and every object a loaded rule keeps costs memory and the garbage collector's copying.
 */
export class SharedValues<K, V extends object> {
  private readonly values = new Map<K, V>();

  get(key: K): V | undefined {
    return this.values.get(key);
  }

  /** Freezes `value`, keeps it for `key` while there is room, and returns it. */
  add(key: K, value: V): V {
    Object.freeze(value);
    if (this.values.size < SHARED_LIMIT) this.values.set(key, value);
    return value;
  }
}

/**
 * The options one field at a time (each defined field alone, with `keep` beside it), for a
 * match whose options hold or fail independently; explanations report each as a condition.
 */
export function optionsOneByOne<O extends object>(options: O, keep: Partial<O> = {}): O[] {
  return Object.entries(options)
    .filter(([key, value]) => value !== undefined && !(key in keep))
    .map(([key, value]) => ({ ...keep, [key]: value }) as O);
}
