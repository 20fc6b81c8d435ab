/**
 * `-m ipcomp` (libxt_ipcomp, kernel xt_ipcomp): the CPI of an IPComp header.
 * The kernel registers it for protocol ipcomp only, so the rule needs
 * `-p ipcomp`. Without --ipcompspi the range is 0:0 (libxt_ipcomp sets no
 * default), and --compres is stored but never tested by the kernel.
 */
import type { MatchExtension } from "../types.js";
import { formatRange, parseUIntRange, type Range } from "../values.js";

const IPPROTO_COMP = 108;

export interface IpcompOptions {
  readonly spi: Range;
  readonly negated: boolean;
  readonly compres: boolean;
}

export const ipcomp: MatchExtension<IpcompOptions> = {
  kind: "match",
  name: "ipcomp",
  options: [
    { name: "ipcompspi", args: 1, invertible: true },
    { name: "compres", args: 0 },
  ],
  parse(uses, ctx) {
    if (ctx.protocol?.value !== IPPROTO_COMP || ctx.protocol.negated) ctx.fail(ctx.at, "-m ipcomp needs -p ipcomp", "bad-protocol");
    const spi = uses.find((u) => u.spec.name === "ipcompspi");
    return {
      spi: spi ? parseUIntRange(ctx, spi.args[0]!, "--ipcompspi", 0xffffffff) : { min: 0, max: 0 },
      negated: spi?.invert ?? false,
      compres: uses.some((u) => u.spec.name === "compres"),
    };
  },
  /** comp_save leaves out the full range. */
  save(o) {
    const full = o.spi.min === 0 && o.spi.max === 0xffffffff;
    return (full ? "" : `${o.negated ? " !" : ""} --ipcompspi ${formatRange(o.spi)}`) + (o.compres ? " --compres" : "");
  },
  /** comp_mt: later fragments never match; the CPI is not part of a described packet. */
  match(o, env) {
    if (env.packet.fragmentOffset !== 0) return false;
    return { unknown: `-m ipcomp --ipcompspi ${formatRange(o.spi)}: depends on the IPComp header's CPI, which the packet description does not carry` };
  },
};
