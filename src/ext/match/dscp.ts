/**
 * `-m dscp` (iptables libxt_dscp, kernel xt_dscp): the DSCP, the upper six
 * bits of the TOS byte (IPv6: traffic class), by number or by class name.
 */
import type { MatchExtension } from "../types.js";
import { parseUInt } from "../values.js";

/** dscp_helper.c's ds_classes: class names (any case) and their DSCP. */
const DSCP_CLASSES: readonly (readonly [string, number])[] = [
  ["CS0", 0x00],
  ["CS1", 0x08],
  ["CS2", 0x10],
  ["CS3", 0x18],
  ["CS4", 0x20],
  ["CS5", 0x28],
  ["CS6", 0x30],
  ["CS7", 0x38],
  ["BE", 0x00],
  ["AF11", 0x0a],
  ["AF12", 0x0c],
  ["AF13", 0x0e],
  ["AF21", 0x12],
  ["AF22", 0x14],
  ["AF23", 0x16],
  ["AF31", 0x1a],
  ["AF32", 0x1c],
  ["AF33", 0x1e],
  ["AF41", 0x22],
  ["AF42", 0x24],
  ["AF43", 0x26],
  ["EF", 0x2e],
];

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
};
