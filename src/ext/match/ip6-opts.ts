/**
 * The IPv6 options headers, `-m hbh` (hop-by-hop) and `-m dst` (destination options):
 * libip6t_hbh and libip6t_dst parse the same `--NAME-len` and `--NAME-opts TYPE[:LEN],…`
 * into struct ip6t_opts, and the kernel's ip6t_hbh serves both. Validated and printed as
 * ip6tables-save prints them; the header walk they do is not modelled.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { parseUInt } from "../values.js";

/** IP6T_OPTS_OPTSNR: room for this many options. */
const MAX_OPTIONS = 16;
/** The length byte of an option given without one: any length. */
const ANY_LENGTH = 0xff;

export interface Ip6OptsOptions {
  readonly length: { readonly value: number; readonly inverted: boolean } | undefined;
  /** The options asked for, in order; length ANY_LENGTH when none was given. */
  readonly opts: readonly { readonly type: number; readonly length: number }[] | undefined;
}

/** parse_opts_num: strtoul(s, &end, 0) over the whole part, kept to its low byte. */
function optionNumber(ctx: ParseContext, token: Token, name: string, text: string, what: "opt" | "length"): number {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(.*)$/s.exec(text);
  if (!m) ctx.fail(token, `${name}: no valid digits in ${what} "${text}"`, "bad-value");
  if (m[3] !== "") ctx.fail(token, `${name}: error parsing ${what} "${text}"`, "bad-value");
  const digits = m[2]!;
  const magnitude = BigInt(/^0[0-7]+$/.test(digits) ? "0o" + digits.slice(1) : digits);
  if (magnitude > 0xffffffffffffffffn) ctx.fail(token, `${what} "${text}" is too big: it would overflow`, "bad-value");
  // strtoul takes a minus sign as the negation of the unsigned long.
  return Number((m[1] === "-" ? -magnitude : magnitude) & 0xffn);
}

function parseOpts(ctx: ParseContext, token: Token, name: string): Ip6OptsOptions["opts"] {
  const parts = token.text.split(",");
  if (parts.length > MAX_OPTIONS) ctx.fail(token, `--${name}-opts "${token.text}" lists more than ${MAX_OPTIONS} options`, "bad-value");
  return parts.map((part, i) => {
    const colon = part.indexOf(":");
    // The last slot holds no length (libip6t_*'s "too many ports specified").
    if (colon !== -1 && i === MAX_OPTIONS - 1) ctx.fail(token, `--${name}-opts "${token.text}": option ${MAX_OPTIONS} cannot have a length`, "bad-value");
    const type = optionNumber(ctx, token, name, colon === -1 ? part : part.slice(0, colon), "opt");
    if (colon === -1) return { type, length: ANY_LENGTH };
    if (type === 0) ctx.fail(token, `--${name}-opts "${token.text}": option 0 (Pad1) has no length`, "bad-value");
    return { type, length: optionNumber(ctx, token, name, part.slice(colon + 1), "length") };
  });
}

export function ip6OptsMatch(name: "hbh" | "dst"): MatchExtension<Ip6OptsOptions> {
  return {
    kind: "match",
    name,
    families: ["ipv6"],
    unmodelled: true,
    options: [
      { name: `${name}-len`, args: 1, invertible: true },
      { name: `${name}-opts`, args: 1 },
    ],
    parse(uses, ctx) {
      const len = uses.find((u) => u.spec.name === `${name}-len`);
      const opts = uses.find((u) => u.spec.name === `${name}-opts`);
      return {
        length: len && { value: parseUInt(ctx, len.args[0]!, `--${name}-len`, 0, 0xffffffff), inverted: len.invert },
        opts: opts && parseOpts(ctx, opts.args[0]!, name),
      };
    },
    save(o) {
      const length = o.length ? `${o.length.inverted ? " !" : ""} --${name}-len ${o.length.value}` : "";
      const opts = o.opts ? ` --${name}-opts ` + o.opts.map((opt) => (opt.length === ANY_LENGTH ? `${opt.type}` : `${opt.type}:${opt.length}`)).join(",") : "";
      return length + opts;
    },
  };
}
