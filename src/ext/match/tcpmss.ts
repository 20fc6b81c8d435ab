/**
 * `-m tcpmss --mss a[:b]` (libxt_tcpmss, kernel xt_tcpmss): the MSS option
 * of a SYN. The kernel registers it for TCP only, so the rule needs `-p tcp`.
 * The packets nfwalk describes carry no TCP options (a 20-byte header).
 */
import type { MatchExtension } from "../types.js";
import { formatRange, parseUIntRange, type Range } from "../values.js";

const IPPROTO_TCP = 6;

export interface TcpmssOptions {
  readonly mss: Range;
  readonly negated: boolean;
}

export const tcpmss: MatchExtension<TcpmssOptions> = {
  kind: "match",
  name: "tcpmss",
  options: [{ name: "mss", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m tcpmss needs --mss", "missing-option");
    if (ctx.protocol?.value !== IPPROTO_TCP || ctx.protocol.negated) ctx.fail(ctx.at, "-m tcpmss needs -p tcp", "bad-protocol");
    const mss = parseUIntRange(ctx, use.args[0]!, "--mss", 0xffff);
    if (mss.min > mss.max) ctx.fail(use.args[0]!, `--mss range "${use.args[0]!.text}" is reversed`, "bad-value");
    return { mss, negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --mss ${formatRange(o.mss)}`,
  /**
   * tcpmss_mt: a header without options (doff 5) has no MSS and yields the
   * plain invert flag. It does not skip later fragments: it reads their
   * payload as a TCP header, which nfwalk does not have.
   */
  match(o, env) {
    if (env.packet.fragmentOffset !== 0) return { unknown: "-m tcpmss on a later fragment reads its payload as a TCP header" };
    return o.negated;
  },
};
