/**
 * `-m connlimit` (libxt_connlimit revision 1, kernel xt_connlimit): the
 * number of tracked connections from (or to) the packet's address block.
 * Stateful: unknown unless the limit is 0. iptables-save always prints the
 * mask and the side.
 */
import type { MatchExtension } from "../types.js";
import { parsePrefixLength, parseUInt } from "../values.js";

export interface ConnlimitOptions {
  /** Match while the count is at most the limit (--connlimit-upto, the kernel's XT_CONNLIMIT_INVERT) or above it. */
  readonly upto: boolean;
  readonly limit: number;
  /** Prefix length of the address block counted together. */
  readonly mask: number;
  readonly side: "saddr" | "daddr";
}

export const connlimit: MatchExtension<ConnlimitOptions> = {
  kind: "match",
  name: "connlimit",
  unrepeatable: () => true,
  tracksConnections: () => true,
  options: [
    { name: "connlimit-upto", args: 1, invertible: true },
    { name: "connlimit-above", args: 1, invertible: true },
    { name: "connlimit-mask", args: 1 },
    { name: "connlimit-saddr", args: 0 },
    { name: "connlimit-daddr", args: 0 },
  ],
  parse(uses, ctx) {
    const find = (name: string) => uses.find((u) => u.spec.name === `connlimit-${name}`);
    const [upto, above, saddr, daddr] = [find("upto"), find("above"), find("saddr"), find("daddr")];
    if (upto && above) ctx.fail(above.at, "--connlimit-upto and --connlimit-above cannot be used together", "conflicting-options");
    if (saddr && daddr) ctx.fail(daddr.at, "--connlimit-saddr and --connlimit-daddr cannot be used together", "conflicting-options");
    const use = upto ?? above ?? ctx.fail(ctx.at, "-m connlimit needs --connlimit-above or --connlimit-upto", "missing-option");
    const full = ctx.family === "ipv4" ? 32 : 128;
    const maskUse = find("mask");
    // XTTYPE_PLENMASK: a mask that is not contiguous becomes a full one.
    const mask = maskUse ? Math.min(parsePrefixLength(ctx, maskUse.args[0]!, maskUse.args[0]!.text, ctx.family), full) : full;
    return {
      upto: (use === upto) !== use.invert,
      limit: parseUInt(ctx, use.args[0]!, use.at.text, 0, 0xffffffff),
      mask,
      side: daddr ? "daddr" : "saddr",
    };
  },
  save: (o) => ` --connlimit-${o.upto ? "upto" : "above"} ${o.limit} --connlimit-mask ${o.mask} --connlimit-${o.side}`,
  /**
   * connlimit_mt: nf_conncount_count counts the packet's own connection too
   * (0 only when memory runs out, and the packet is dropped), so the count is
   * at least 1: above 0 always holds, up to 0 never. Other limits depend on
   * the connections already tracked.
   */
  match(o) {
    if (o.limit === 0) return !o.upto;
    return {
      unknown: `-m connlimit --connlimit-${o.upto ? "upto" : "above"} ${o.limit}: depends on how many connections the host tracks ${o.side === "saddr" ? "from" : "to"} the packet's /${o.mask}`,
    };
  },
};
