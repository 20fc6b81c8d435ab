/**
 * `-m rpfilter` (libxt_rpfilter, kernel xt_rpfilter): reverse-path check,
 * a route lookup back to the source. The kernel allows it only in the raw and
 * mangle tables, before routing (PREROUTING).
 */
import type { Hook } from "../../model/types.js";
import type { MatchEnv, MatchResult } from "../semantics.js";
import type { MatchExtension } from "../types.js";

export const RPFILTER_FLAGS = ["loose", "validmark", "accept-local", "invert"] as const;
export type RpfilterFlag = (typeof RPFILTER_FLAGS)[number];

export interface RpfilterOptions {
  /** Set flags, in the order iptables prints them. */
  readonly flags: readonly RpfilterFlag[];
}

const HOOKS: readonly Hook[] = ["PREROUTING"];

const IPV4_LIMITED_BROADCAST = 0xffffffff;
/** 224.0.0.0/24, ipv4_is_local_multicast. */
const isLocalMulticast = (a: number) => a >>> 8 === 0xe00000;

/**
 * rpfilter_mt and rpfilter_mt6: packets that came over loopback pass, and so
 * do those no route can answer (IPv4: a source in 0.0.0.0/8 to the limited
 * broadcast or 224.0.0.0/24; IPv6: source ::). Everything else needs the
 * reverse route lookup (rpfilter_lookup_reverse: a route to the source,
 * unicast or with --accept-local local, through the in interface unless
 * --loose), which the host view does not offer.
 */
function rpfilterMatch(o: RpfilterOptions, env: MatchEnv): MatchResult {
  const invert = o.flags.includes("invert");
  const { src, dst } = env.packet;
  const unroutable = src.family === "ipv4" ? src.value >>> 24 === 0 && dst.family === "ipv4" && (dst.value === IPV4_LIMITED_BROADCAST || isLocalMulticast(dst.value)) : src.value === 0n;
  if (env.inInterface === "lo" || unroutable) return !invert;
  return { unknown: `-m rpfilter${o.flags.map((f) => ` --${f}`).join("")}: needs the reverse route lookup to the source address, which nfwalk does not model` };
}

export const rpfilter: MatchExtension<RpfilterOptions> = {
  kind: "match",
  name: "rpfilter",
  options: RPFILTER_FLAGS.map((name) => ({ name, args: 0 as const })),
  parse(uses, ctx) {
    if (ctx.table !== "raw" && ctx.table !== "mangle") ctx.fail(ctx.at, `-m rpfilter works only in the raw and mangle tables, not in ${ctx.table}`, "bad-table");
    return { flags: RPFILTER_FLAGS.filter((flag) => uses.some((u) => u.spec.name === flag)) };
  },
  hooks: () => HOOKS,
  save: (o) => o.flags.map((flag) => ` --${flag}`).join(""),
  match: rpfilterMatch,
};
