/**
 * `-j CONNMARK` (libxt_CONNMARK revision 2, kernel xt_connmark): set the
 * connection's mark, or copy marks between packet and connection.
 */
import { withMeta, type TargetEnv } from "../semantics.js";
import type { OptionUse, TargetExtension } from "../types.js";
import { hex, parseUInt } from "../values.js";
import { atMostOne } from "./exclusive.js";
import { applyMark, formatMark, isMarkOperation, MARK_OPERATIONS, parseMarkOperation } from "./mark-ops.js";

/**
 * The kernel's xt_connmark_tginfo2. set: ctmark = ((ctmark & ~ctmask) ^ value) shifted;
 * save: ctmark = (ctmark & ~ctmask) ^ ((nfmark & nfmask) shifted);
 * restore: nfmark = (nfmark & ~nfmask) ^ ((ctmark & ctmask) shifted).
 */
export interface ConnmarkOptions {
  readonly mode: "set" | "save" | "restore";
  /** The value of a set. */
  readonly ctmark: number;
  readonly ctmask: number;
  readonly nfmask: number;
  readonly shift: { readonly direction: "left" | "right"; readonly bits: number };
}

const MODES = (u: OptionUse) => isMarkOperation(u) || u.spec.name === "save-mark" || u.spec.name === "restore-mark";

export const CONNMARK: TargetExtension<ConnmarkOptions> = {
  kind: "target",
  name: "CONNMARK",
  tracksConnections: () => true,
  options: [
    ...MARK_OPERATIONS,
    { name: "save-mark", args: 0 },
    { name: "restore-mark", args: 0 },
    { name: "left-shift-mark", args: 1 },
    { name: "right-shift-mark", args: 1 },
    { name: "ctmask", args: 1 },
    { name: "nfmask", args: 1 },
    { name: "mask", args: 1 },
  ],
  parse(uses, ctx) {
    atMostOne(ctx, uses, MODES) ?? ctx.fail(ctx.at, "CONNMARK needs --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark, --save-mark or --restore-mark", "missing-option");
    if (uses.some((u) => u.spec.name === "mask")) atMostOne(ctx, uses, new Set(["mask", "ctmask", "nfmask"]));
    // Applied in the order given, as libxt_CONNMARK fills one struct: --ctmask
    // and --mask given after a set replace its mask, given before they are replaced.
    let o: ConnmarkOptions = { mode: "set", ctmark: 0, ctmask: 0xffffffff, nfmask: 0xffffffff, shift: { direction: "left", bits: 0 } };
    for (const use of uses) {
      const arg = use.args[0]!;
      const name = use.spec.name;
      const u32 = () => parseUInt(ctx, arg, `--${name}`, 0, 0xffffffff);
      if (isMarkOperation(use)) {
        const { value, mask } = parseMarkOperation(ctx, use);
        o = { ...o, mode: "set", ctmark: value, ctmask: mask };
      } else if (name === "save-mark" || name === "restore-mark") o = { ...o, mode: name === "save-mark" ? "save" : "restore" };
      else if (name === "ctmask") o = { ...o, ctmask: u32() };
      else if (name === "nfmask") o = { ...o, nfmask: u32() };
      else if (name === "mask") o = { ...o, ctmask: u32(), nfmask: u32() };
      else o = { ...o, shift: { direction: name === "left-shift-mark" ? "left" : "right", bits: parseUInt(ctx, arg, `--${name}`, 0, 32) } };
    }
    return o;
  },
  save(o) {
    const shift = o.shift.bits === 0 ? "" : ` --${o.shift.direction}-shift-mark ${o.shift.bits}`;
    if (o.mode === "set") return ` --set-xmark ${formatMark({ value: o.ctmark, mask: o.ctmask })}${shift}`;
    return ` --${o.mode}-mark --nfmask ${hex(o.nfmask)} --ctmask ${hex(o.ctmask)}${shift}`;
  },
  apply(o, env) {
    const missing = missingConntrack(env);
    if (missing) return { kind: "continue", note: `CONNMARK does nothing: ${missing}` };
    const { mark, connmark } = connmarkTarget(o, env.meta.mark, env.meta.connmark);
    const note =
      o.mode === "restore" ? `CONNMARK: mark ${hex(env.meta.mark)} → ${hex(mark)} from the connection mark ${hex(connmark)}` : `CONNMARK: connection mark ${hex(env.meta.connmark)} → ${hex(connmark)}`;
    return { kind: "continue", update: (meta) => withMeta(meta, { mark, connmark }), note };
  },
};

/**
 * connmark_tg_shift. Shifts are of a u32 by 0–32 bits; x86 and arm64 take the
 * count modulo 32 (a shift by 32 leaves the value), as JavaScript does.
 */
export function connmarkTarget(o: ConnmarkOptions, nfmark: number, ctmark: number): { mark: number; connmark: number } {
  const shift = (v: number) => (o.shift.direction === "right" ? v >>> o.shift.bits : (v << o.shift.bits) >>> 0);
  switch (o.mode) {
    case "set":
      return { mark: nfmark, connmark: shift(applyMark(ctmark, { value: o.ctmark, mask: o.ctmask })) };
    case "save":
      return { mark: nfmark, connmark: ((ctmark & ~o.ctmask) ^ shift(nfmark & o.nfmask)) >>> 0 };
    case "restore":
      return { mark: ((nfmark & ~o.nfmask) ^ shift(ctmark & o.ctmask)) >>> 0, connmark: ctmark };
  }
}

/**
 * Why nf_ct_get finds no connection for the packet, if it does not: INVALID
 * and untracked packets have none, and in the raw table conntrack has not run
 * yet (only a packet looping back through lo brings its entry along).
 */
export function missingConntrack(env: TargetEnv): string | undefined {
  if (env.table === "raw" && env.inInterface !== "lo") return "the raw table runs before connection tracking, so the packet has no connection yet";
  if (env.conntrack.state === "INVALID" || env.conntrack.state === "UNTRACKED") return `the packet is ${env.conntrack.state} and has no connection`;
  return undefined;
}
