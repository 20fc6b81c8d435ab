/**
 * `-m connbytes` (libxt_connbytes, kernel xt_connbytes): the connection's
 * packet or byte counters, or their ratio, in one direction or both. `!`
 * swaps the range ends, as libxt_connbytes stores it; a one-value range
 * swapped stays the same, so its `!` is lost.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchEnv, MatchResult } from "../semantics.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { parseCNumber, parseKeyword } from "../values.js";
import { hasEntry } from "./ct-state.js";

const U64_MAX = (1n << 64n) - 1n;

const MODES = ["packets", "bytes", "avgpkt"] as const;
const DIRECTIONS = ["original", "reply", "both"] as const;

export interface ConnbytesOptions {
  /** from > to: the inverted range (outside to..from). */
  readonly from: bigint;
  readonly to: bigint;
  readonly mode: (typeof MODES)[number];
  readonly direction: (typeof DIRECTIONS)[number];
}

/** XTTYPE_UINT64RC: `N`, `N:`, `:M` or `N:M`; a missing end is 0 or 2^64-1. */
function parseCount(ctx: ParseContext, token: Token): { from: bigint; to: bigint } {
  const m = /^([^:]*)(?::(.*))?$/s.exec(token.text)!;
  const number = (text: string, missing: bigint) => {
    if (text === "") return missing;
    const value = parseCNumber(text);
    if (value === undefined || value > U64_MAX) ctx.fail(token, `--connbytes "${token.text}" is not a range of numbers up to ${U64_MAX}`, "bad-value");
    return value;
  };
  const from = number(m[1]!, 0n);
  const to = m[2] === undefined ? U64_MAX : number(m[2], U64_MAX);
  if (to < from) ctx.fail(token, `--connbytes range "${token.text}" is reversed`, "bad-value");
  return { from, to };
}

/**
 * connbytes_mt: no connection, no match. The counters of a connection this
 * packet starts hold just this packet, in the original direction; a
 * connection seen before has counters nfwalk does not know.
 */
function connbytesMatch(o: ConnbytesOptions, env: MatchEnv): MatchResult {
  const ct = env.conntrack;
  if (!hasEntry(ct)) return false;
  if (ct.state !== "NEW" || ct.reply) return { unknown: `-m connbytes --connbytes-mode ${o.mode}: depends on the counters of the connection so far` };
  const original = { packets: 1n, bytes: BigInt(env.packet.length) };
  const counters = o.direction === "reply" ? { packets: 0n, bytes: 0n } : original;
  const what = o.mode === "packets" ? counters.packets : o.mode === "bytes" ? counters.bytes : counters.packets === 0n ? 0n : counters.bytes / counters.packets;
  return o.to >= o.from ? what >= o.from && what <= o.to : what < o.to || what > o.from;
}

export const connbytes: MatchExtension<ConnbytesOptions> = {
  kind: "match",
  name: "connbytes",
  tracksConnections: () => true,
  options: [
    { name: "connbytes", args: 1, invertible: true },
    { name: "connbytes-dir", args: 1 },
    { name: "connbytes-mode", args: 1 },
  ],
  parse(uses, ctx) {
    const find = (name: string) => uses.find((u) => u.spec.name === name) ?? ctx.fail(ctx.at, `-m connbytes needs --${name}`, "missing-option");
    const count = find("connbytes");
    const range = parseCount(ctx, count.args[0]!);
    const direction = parseKeyword(ctx, find("connbytes-dir").args[0]!, DIRECTIONS, "--connbytes-dir");
    const mode = parseKeyword(ctx, find("connbytes-mode").args[0]!, MODES, "--connbytes-mode");
    return count.invert ? { from: range.to, to: range.from, mode, direction } : { ...range, mode, direction };
  },
  /** print_from_to: the smaller end first, `!` when swapped, no upper end when it is 0 or 2^64-1. */
  save(o) {
    const [from, to] = o.from > o.to ? [o.to, o.from] : [o.from, o.to];
    const range = to !== 0n && to < U64_MAX ? `${from}:${to}` : `${from}`;
    return `${o.from > o.to ? " !" : ""} --connbytes ${range} --connbytes-mode ${o.mode} --connbytes-dir ${o.direction}`;
  },
  match: connbytesMatch,
};
