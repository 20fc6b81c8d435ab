/**
 * `-j DSCP --set-dscp N | --set-dscp-class CLASS` (libxt_DSCP, kernel
 * xt_DSCP's dscp_tg / dscp_tg6): rewrite the six DSCP bits of the TOS byte
 * (IPv6 traffic class), keeping the two ECN bits. Mangle table only.
 */
import { withHeader } from "../../packet/packet.js";
import type { TargetExtension } from "../types.js";
import { DSCP_CLASSES } from "../data/dscp-classes.js";
import { parseUInt } from "../values.js";
import { atMostOne } from "./exclusive.js";

/** XT_DSCP_MAX */
const DSCP_MAX = 0x3f;
/** XT_DSCP_SHIFT: the DSCP sits above the two ECN bits. */
const DSCP_SHIFT = 2;
const ECN_BITS = 0x03;

export interface DscpOptions {
  readonly dscp: number;
}

export const DSCP: TargetExtension<DscpOptions> = {
  kind: "target",
  name: "DSCP",
  options: [
    { name: "set-dscp", args: 1 },
    { name: "set-dscp-class", args: 1 },
  ],
  tables: ["mangle"],
  parse(uses, ctx) {
    const use = atMostOne(ctx, uses, () => true) ?? ctx.fail(ctx.at, "DSCP needs --set-dscp or --set-dscp-class", "missing-option");
    const arg = use.args[0]!;
    if (use.spec.name === "set-dscp") return { dscp: parseUInt(ctx, arg, "--set-dscp", 0, DSCP_MAX) };
    const word = arg.text.toUpperCase();
    // The first class whose name starts the word wins (strncasecmp).
    const found = DSCP_CLASSES.find(([name]) => word.startsWith(name)) ?? ctx.fail(arg, `invalid DSCP class "${arg.text}"`, "bad-value");
    return { dscp: found[1] };
  },
  save: (o) => ` --set-dscp 0x${o.dscp.toString(16).padStart(2, "0")}`,
  // dscp_tg: ipv4_change_dsfield(iph, XT_DSCP_ECN_MASK, dscp << XT_DSCP_SHIFT); XT_CONTINUE.
  apply(o, env) {
    const tos = (env.packet.tos & ECN_BITS) | (o.dscp << DSCP_SHIFT);
    return { kind: "continue", rewrite: (packet) => withHeader(packet, { tos }), note: `DSCP: TOS byte 0x${hex2(env.packet.tos)} → 0x${hex2(tos)}` };
  },
};

/** A byte as two hex digits. */
export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
