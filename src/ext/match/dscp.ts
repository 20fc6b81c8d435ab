/**
 * `-m dscp` (iptables libxt_dscp, kernel xt_dscp): the DSCP, the upper six
 * bits of the TOS byte (IPv6: traffic class), by number or by class name.
 */
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
import { DSCP_CLASSES } from "../data/dscp-classes.js";
import { parseUInt } from "../values.js";

export interface DscpOptions {
  readonly dscp: number;
  readonly negated: boolean;
}

export const dscp: MatchExtension<DscpOptions> = {
  kind: "match",
  name: "dscp",
  options: [
    { name: "dscp", args: 1, invertible: true },
    { name: "dscp-class", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m dscp needs --dscp or --dscp-class", "missing-option");
    const other = uses[1];
    if (other) ctx.fail(other.at, `--${other.spec.name} cannot be used together with --${use.spec.name}`, "conflicting-options");
    const token = use.args[0]!;
    if (use.spec.name === "dscp") return { dscp: parseUInt(ctx, token, "DSCP", 0, 63), negated: use.invert };
    const found = DSCP_CLASSES.find(([name]) => name === token.text.toUpperCase()) ?? ctx.fail(token, `unknown DSCP class "${token.text}"`, "bad-value");
    return { dscp: found[1], negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --dscp 0x${o.dscp.toString(16).padStart(2, "0")}`,
  /** dscp_mt / dscp_mt6: the DSCP (dsfield >> 2) equals the rule's, inverted by `!`. */
  match: (o, env) => (env.packet.tos >> 2 === o.dscp) !== o.negated,
  /** A set flow's packets share one TOS byte. */
  matchSet: (o, env) => whole(dscp.match!(o, env.concrete)),
};
