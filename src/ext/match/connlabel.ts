/**
 * `-m connlabel --label N [--set]` (libxt_connlabel, kernel xt_connlabel): a
 * bit of the connection's label set. iptables maps names to bits through
 * /etc/xtables/connlabel.conf; nfwalk does not have that file and takes
 * numbers only. iptables-save prints the number in quotes.
 */
import type { MatchExtension } from "../types.js";
import { parseUInt } from "../values.js";
import { hasEntry } from "./ct-state.js";

/** XT_CONNLABEL_MAXBIT */
const MAX_BIT = 127;

export interface ConnlabelOptions {
  readonly bit: number;
  readonly negated: boolean;
  /** --set: set the bit when it is not set, and match. */
  readonly set: boolean;
}

export const connlabel: MatchExtension<ConnlabelOptions> = {
  kind: "match",
  name: "connlabel",
  tracksConnections: () => true,
  options: [
    { name: "label", args: 1, invertible: true },
    { name: "set", args: 0 },
  ],
  parse(uses, ctx) {
    const use = uses.find((u) => u.spec.name === "label") ?? ctx.fail(ctx.at, "-m connlabel needs --label", "missing-option");
    const arg = use.args[0]!;
    if (!/^\s*\d/.test(arg.text)) ctx.fail(arg, `--label "${arg.text}": nfwalk cannot read label names from connlabel.conf; give the bit number`, "unknown-name");
    return { bit: parseUInt(ctx, arg, "--label", 0, MAX_BIT), negated: use.invert, set: uses.some((u) => u.spec.name === "set") };
  },
  save: (o) => `${o.negated ? " !" : ""} --label "${o.bit}"${o.set ? " --set" : ""}`,
  /**
   * connlabel_mt: no connection gives the invert flag; --set sets the bit and
   * matches (the invert flag swapped); otherwise the bit decides, and labels
   * live in the conntrack entry, which nfwalk does not keep.
   */
  match(o, env) {
    if (!hasEntry(env.conntrack)) return o.negated;
    if (o.set) return !o.negated;
    return { unknown: `-m connlabel --label ${o.bit}: depends on the connection's labels` };
  },
};
