/**
 * `-m string` (libxt_string revision 1, kernel xt_string): a byte pattern
 * searched in the packet between two offsets with a textsearch algorithm.
 * iptables-save prints the pattern as text in double quotes (`"` and `\`
 * escaped), or as one hex block when a byte is not printable or the last is `\`.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { fromUtf8, utf8 } from "../utf8.js";
import { parseUInt, putString } from "../values.js";

/** XT_STRING_MAX_PATTERN_SIZE */
const MAX_PATTERN = 128;
/** XT_STRING_MAX_ALGO_NAME_SIZE, with the NUL. */
const ALGO_SIZE = 16;
/** The textsearch algorithms the kernel has (ts_bm, ts_kmp, ts_fsm). */
const ALGORITHMS = ["bm", "kmp", "fsm"];

export interface StringOptions {
  readonly pattern: Uint8Array;
  readonly negated: boolean;
  readonly algo: string;
  readonly from: number;
  readonly to: number;
  readonly icase: boolean;
}

/** parse_hex_string: `|41 42|` blocks of hex pairs, `\x` for a literal x, other characters as they are. */
function parseHexString(ctx: ParseContext, token: Token): Uint8Array {
  const s = utf8(token.text);
  const bad = (why: string) => ctx.fail(token, `--hex-string "${token.text}": ${why}`, "bad-value");
  const out: number[] = [];
  let hex = false;
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === 0x5c) {
      if (hex) bad("cannot include literals in hex data");
      if (i + 1 >= s.length) bad("bad literal placement at end of string");
      out.push(s[i + 1]!);
      i += 2;
    } else if (c === 0x7c) {
      hex = !hex;
      i++;
      if (hex) while (s[i] === 0x20) i++;
    } else if (hex) {
      const pair = fromUtf8(s.subarray(i, i + 2));
      if (i + 2 >= s.length) bad("invalid hex block");
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) bad(`invalid hex char in "${pair}"`);
      out.push(parseInt(pair, 16));
      i += s[i + 2] === 0x20 ? 3 : 2;
    } else {
      out.push(c);
      i++;
    }
    if (out.length > MAX_PATTERN) bad(`longer than ${MAX_PATTERN} bytes`);
  }
  return Uint8Array.from(out);
}

/** The bytes as pairs of lowercase hex digits. */
function hex(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += b.toString(16).padStart(2, "0");
  return text;
}

/** The bytes one character each (iptables prints a pattern's bytes as they are). */
function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function isHexString(pattern: Uint8Array): boolean {
  return pattern.some((b) => b < 0x20 || b > 0x7e) || pattern.at(-1) === 0x5c;
}

export const string: MatchExtension<StringOptions> = {
  kind: "match",
  name: "string",
  options: [
    { name: "from", args: 1 },
    { name: "to", args: 1 },
    { name: "algo", args: 1 },
    { name: "string", args: 1, invertible: true },
    { name: "hex-string", args: 1, invertible: true },
    { name: "icase", args: 0 },
  ],
  parse(uses, ctx) {
    const find = (name: string) => uses.find((u) => u.spec.name === name);
    const patterns = uses.filter((u) => u.spec.name === "string" || u.spec.name === "hex-string");
    if (patterns.length > 1) ctx.fail(patterns[1]!.at, "only one of --string and --hex-string", "conflicting-options");
    const use = patterns[0] ?? ctx.fail(ctx.at, "-m string needs --string or --hex-string", "missing-option");
    const algoUse = find("algo") ?? ctx.fail(ctx.at, "-m string needs --algo bm|kmp", "missing-option");
    const algo = putString(ctx, algoUse.args[0]!, ALGO_SIZE, "--algo");
    if (!ALGORITHMS.includes(algo)) ctx.fail(algoUse.args[0]!, `--algo "${algo}": the kernel knows ${ALGORITHMS.join(", ")}`, "bad-value");
    const arg = use.args[0]!;
    const pattern = use.spec.name === "string" ? utf8(arg.text) : parseHexString(ctx, arg);
    if (pattern.length > MAX_PATTERN) ctx.fail(arg, `the pattern is longer than ${MAX_PATTERN} bytes`, "bad-value");
    if (pattern.length === 0) ctx.fail(arg, "the pattern is empty", "bad-value");
    const fromUse = find("from");
    const toUse = find("to");
    const from = fromUse ? parseUInt(ctx, fromUse.args[0]!, "--from", 0, 0xffff) : 0;
    const to = toUse ? parseUInt(ctx, toUse.args[0]!, "--to", 0, 0xffff) : 0xffff;
    if (from > to) ctx.fail(fromUse!.at, `--from ${from} is after --to ${to}`, "bad-value");
    return { pattern, negated: use.invert, algo, from, to, icase: find("icase") !== undefined };
  },
  save(o) {
    const not = o.negated ? " !" : "";
    const text = isHexString(o.pattern) ? `${not} --hex-string "|${hex(o.pattern)}|"` : `${not} --string "${latin1(o.pattern).replace(/["\\]/g, (c) => "\\" + c)}"`;
    return `${text} --algo ${o.algo}${o.from !== 0 ? ` --from ${o.from}` : ""}${o.to !== 0xffff ? ` --to ${o.to}` : ""}${o.icase ? " --icase" : ""}`;
  },
  /** string_mt: skb_find_text over the packet's bytes from --from to --to; the payload is not described. */
  match: (o) => ({
    unknown: `-m string ${isHexString(o.pattern) ? `--hex-string "|${hex(o.pattern)}|"` : `--string "${latin1(o.pattern)}"`}: searches the packet's payload, which the packet description does not carry`,
  }),
};
