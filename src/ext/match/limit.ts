/**
 * `-m limit` (libxt_limit). iptables-nft turns it into nf_tables' own `limit`
 * expression (rate per unit, burst), and iptables-save reads that back, so
 * the canonical text is what survives that round trip: `7/min` stays `7/min`,
 * `--limit 7` becomes `7/sec`, and a burst of 0 comes back as the default 5.
 * Stateful: a token bucket per rule, so the verdict is unknown.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { parseUInt } from "../values.js";
import { whole } from "../set-semantics.js";

/** xt_rateinfo's fixed point: avg is XT_LIMIT_SCALE × seconds per packet. */
const XT_LIMIT_SCALE = 10000;
const DEFAULT_BURST = 5;
const DEFAULT_RATE = "3/hour";

/** The units iptables prints, longest first, in seconds. */
const UNITS = [
  ["day", 86400],
  ["hour", 3600],
  ["min", 60],
  ["sec", 1],
] as const;

/** The suffixes parse_rate accepts by any prefix (`/s`, `/M`, `/hou`), any case. */
const SUFFIXES: readonly (readonly [string, number])[] = [
  ["second", 1],
  ["minute", 60],
  ["hour", 3600],
  ["day", 86400],
];

/** What the kernel's nft_limit keeps: `rate` packets per `unit` seconds. */
export interface NftLimit {
  readonly rate: number;
  readonly unit: number;
}

export interface LimitOptions {
  readonly limit: NftLimit;
  readonly burst: number;
}

/** C's atoi: leading blanks, a sign, digits; 0 when there are none; wraps to 32 bits as the uint32 it is stored in. */
function atoiU32(text: string): number {
  const m = /^[\s]*([+-]?\d+)/.exec(text);
  return m ? Number(BigInt.asUintN(32, BigInt(m[1]!))) : 0;
}

/** The seconds a rate's `/suffix` names, matched as parse_rate does (`/s`, `/M`, `/hou`); undefined for a bad suffix. */
export function rateSuffixSeconds(suffix: string): number | undefined {
  const lower = suffix.toLowerCase();
  return lower === "" ? undefined : SUFFIXES.find(([name]) => name.startsWith(lower))?.[1];
}

/** libxt_limit's parse_rate: `N[/unit]` → xt_rateinfo avg, or undefined for a bad rate. */
export function parseRateAvg(ctx: ParseContext, token: Token, text: string): number | undefined {
  const slash = text.indexOf("/");
  let seconds = 1;
  if (slash !== -1) {
    const unit = rateSuffixSeconds(text.slice(slash + 1));
    if (unit === undefined) return undefined;
    seconds = unit;
  }
  const count = atoiU32(text);
  if (count === 0) return undefined;
  const avg = Math.floor((XT_LIMIT_SCALE * seconds) / count);
  if (avg === 0) ctx.fail(token, `rate "${text}" is too fast: at most ${XT_LIMIT_SCALE}/sec`, "bad-value");
  return avg;
}

/**
 * The unit loop of libxt_limit's print_rate, iptables-nft's add_nft_limit and
 * libxt_hashlimit's print_rate: the largest unit that shows `avg` (scale ×
 * seconds per packet) without losing precision.
 */
export function rateUnit(avg: bigint, scale: bigint): (typeof UNITS)[number] {
  let i = 1;
  for (; i < UNITS.length; i++) {
    const mult = scale * BigInt(UNITS[i]![1]);
    if (avg > mult || mult / avg < mult % avg) break;
  }
  return UNITS[i - 1]!;
}

/** `N/unit` as print_rate writes it, with the unit's length in seconds. */
export function formatRate(avg: bigint, scale: bigint): { readonly text: string; readonly seconds: number } {
  const [name, seconds] = rateUnit(avg, scale);
  return { text: `${(scale * BigInt(seconds)) / avg}/${name}`, seconds };
}

/** add_nft_limit: xt_rateinfo avg → nf_tables rate per unit. */
function toNft(avg: number): NftLimit {
  const [, seconds] = rateUnit(BigInt(avg), BigInt(XT_LIMIT_SCALE));
  return { rate: Math.floor((XT_LIMIT_SCALE * seconds) / avg), unit: seconds };
}

/** nft_parse_limit then print_rate: what iptables-save prints for an nf_tables limit. */
export function formatNftLimit(limit: NftLimit): string {
  return formatRate(BigInt(Math.floor((XT_LIMIT_SCALE * limit.unit) / limit.rate)), BigInt(XT_LIMIT_SCALE)).text;
}

export const limit: MatchExtension<LimitOptions> = {
  kind: "match",
  name: "limit",
  unrepeatable: () => true,
  options: [
    { name: "limit", args: 1 },
    { name: "limit-burst", args: 1 },
  ],
  parse(uses, ctx) {
    let avg = parseRateAvg(ctx, ctx.at, DEFAULT_RATE)!;
    let burst = DEFAULT_BURST;
    for (const use of uses) {
      const arg = use.args[0]!;
      if (use.spec.name === "limit") {
        avg = parseRateAvg(ctx, arg, arg.text) ?? ctx.fail(arg, `bad rate "${arg.text}": expected N/sec, N/minute, N/hour or N/day`, "bad-value");
      } else {
        // nf_tables stores no burst as 0 and reports it back as the default.
        burst = parseUInt(ctx, arg, "limit burst", 0, 10000) || DEFAULT_BURST;
      }
    }
    return { limit: toNft(avg), burst };
  },
  save: (o) => ` --limit ${formatNftLimit(o.limit)}${o.burst === DEFAULT_BURST ? "" : ` --limit-burst ${o.burst}`}`,
  /**
   * limit_mt (and nft_limit_eval, which iptables-nft loads instead) takes a
   * token from the rule's bucket. A fresh rule's bucket is full (burst
   * tokens), so the first packet it ever sees matches; nfwalk does not know
   * what the rule saw before.
   */
  /** Unknown for every packet, as for one. */
  matchSet: (o, env) => whole(limit.match!(o, env.concrete)),
  match: (o) => ({
    unknown: `-m limit --limit ${formatNftLimit(o.limit)} --limit-burst ${o.burst}: matches while the rule's token bucket holds a token, which depends on the packets it saw before (the first ${o.burst} after loading always match)`,
  }),
};
