/**
 * `-j DSCP --set-dscp N | --set-dscp-class CLASS` (libxt_DSCP, kernel
 * xt_DSCP's dscp_tg / dscp_tg6): rewrite the six DSCP bits of the TOS byte
 * (IPv6 traffic class), keeping the two ECN bits. Mangle table only.
 */
import type { TargetExtension } from "../types.js";
import { parseUInt } from "../values.js";
import { atMostOne } from "./exclusive.js";

/** dscp_helper.c's classes, in its order: the first whose name starts the word wins (strncasecmp). */
const DS_CLASSES: readonly (readonly [string, number])[] = [
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
    const found = DS_CLASSES.find(([name]) => word.startsWith(name)) ?? ctx.fail(arg, `invalid DSCP class "${arg.text}"`, "bad-value");
    return { dscp: found[1] };
  },
  save: (o) => ` --set-dscp 0x${o.dscp.toString(16).padStart(2, "0")}`,
  // dscp_tg: ipv4_change_dsfield(iph, XT_DSCP_ECN_MASK, dscp << XT_DSCP_SHIFT); XT_CONTINUE.
  apply(o, env) {
    const tos = (env.packet.tos & ECN_BITS) | (o.dscp << DSCP_SHIFT);
    return { kind: "continue", rewrite: (packet) => ({ ...packet, tos }), note: `DSCP: TOS byte 0x${hex2(env.packet.tos)} → 0x${hex2(tos)}` };
  },
};

/** A byte as two hex digits. */
export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
