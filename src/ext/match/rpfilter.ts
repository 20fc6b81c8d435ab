/**
 * `-m rpfilter` (libxt_rpfilter, kernel xt_rpfilter): reverse-path check,
 * a route lookup back to the source. The kernel allows it only in the raw and
 * mangle tables, before routing (PREROUTING).
 */
import type { Hook } from "../../model/types.js";
import type { MatchExtension } from "../types.js";

export const RPFILTER_FLAGS = ["loose", "validmark", "accept-local", "invert"] as const;
export type RpfilterFlag = (typeof RPFILTER_FLAGS)[number];

export interface RpfilterOptions {
  /** Set flags, in the order iptables prints them. */
  readonly flags: readonly RpfilterFlag[];
}

const HOOKS: readonly Hook[] = ["PREROUTING"];

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
};
