/** `-m length --length MIN[:MAX]` (iptables libxt_length, kernel xt_length): the packet's layer-3 length lies in the range. */
import type { MatchExtension } from "../types.js";
import { byProtocol } from "../set-semantics.js";
import { formatRange, parseUIntRange, type Range } from "../values.js";

export interface LengthOptions {
  readonly range: Range;
  readonly negated: boolean;
}

export const length: MatchExtension<LengthOptions> = {
  kind: "match",
  name: "length",
  options: [{ name: "length", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m length needs --length", "missing-option");
    return { range: parseUIntRange(ctx, use.args[0]!, "length", 65535), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --length ${formatRange(o.range)}`,
  /** length_mt / length_mt6: the IPv4 total length, or the IPv6 payload length plus the 40-byte header. */
  match: (o, env) => (env.packet.length >= o.range.min && env.packet.length <= o.range.max) !== o.negated,
  /** A set's packets are as long as their headers: one length a protocol. */
  matchSet: (o, env) => byProtocol(env, (probe) => length.match!(o, probe)),
};
