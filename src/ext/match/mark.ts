/**
 * `-m mark --mark VALUE[/MASK]` (iptables libxt_mark revision 1, kernel
 * xt_mark): the packet's mark, masked, equals VALUE. Also the shape of
 * `-m connmark`, which compares the connection's mark instead.
 */
import type { MatchExtension } from "../types.js";
import { hex, parseValueMask, type ValueMask } from "../values.js";
import { hasEntry } from "./ct-state.js";
import { whole } from "../set-semantics.js";

export interface MarkOptions extends ValueMask {
  readonly negated: boolean;
}

/** A `--mark VALUE[/MASK]` match on some mark; printed in hex, the mask only when not all-ones. */
export function markMatch(name: "mark" | "connmark"): MatchExtension<MarkOptions> {
  return {
    kind: "match",
    name,
    ...(name === "connmark" && { tracksConnections: () => true }),
    options: [{ name: "mark", args: 1, invertible: true }],
    parse(uses, ctx) {
      const use = uses[0] ?? ctx.fail(ctx.at, `-m ${name} needs --mark`, "missing-option");
      return { ...parseValueMask(ctx, use.args[0]!, "mark"), negated: use.invert };
    },
    save: (o) => `${o.negated ? " !" : ""} --mark ${hex(o.value)}${o.mask === 0xffffffff ? "" : `/${hex(o.mask)}`}`,
    /** The marks are the packet's and the connection's metadata: one value for the whole set. */
    matchSet(o, env) {
      return whole(this.match!(o, env.concrete));
    },
    /** mark_mt / connmark_mt: the mark under the mask equals the value; connmark_mt is false for a packet without a conntrack entry, inverted or not. */
    match(o, env) {
      if (name === "connmark" && !hasEntry(env.conntrack)) return false;
      const mark = name === "mark" ? env.mark : env.conntrack.mark;
      return ((mark & o.mask) >>> 0 === o.value) !== o.negated;
    },
  };
}

export const mark = markMatch("mark");
