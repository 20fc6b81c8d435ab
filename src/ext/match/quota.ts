/**
 * `-m quota --quota BYTES` (libxt_quota, kernel xt_quota): matches until the
 * rule has let BYTES bytes through. Stateful: unknown, except for a packet
 * larger than the whole quota.
 */
import type { MatchExtension } from "../types.js";
import { parseCNumber } from "../values.js";

const U64_MAX = (1n << 64n) - 1n;

export interface QuotaOptions {
  readonly quota: bigint;
  readonly negated: boolean;
}

export const quota: MatchExtension<QuotaOptions> = {
  kind: "match",
  name: "quota",
  unrepeatable: () => true,
  options: [{ name: "quota", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m quota needs --quota BYTES", "missing-option");
    const arg = use.args[0]!;
    const value = parseCNumber(arg.text) ?? -1n;
    if (value < 0n || value > U64_MAX) ctx.fail(arg, `--quota "${arg.text}" is not a number from 0 to ${U64_MAX}`, "bad-value");
    return { quota: value, negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --quota ${o.quota}`,
  /**
   * quota_mt: the packet's length is taken from what is left of the quota if
   * it fits, and the match holds (the invert flag swaps that); what is left
   * only shrinks, so a packet longer than the whole quota never fits.
   */
  match(o, env) {
    if (BigInt(env.packet.length) > o.quota) return o.negated;
    return { unknown: `-m quota --quota ${o.quota}: depends on how many bytes the rule let through before` };
  },
};
