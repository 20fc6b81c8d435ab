/** `-j MARK` (libxt_MARK revision 2, kernel xt_mark): change the packet's mark. */
import { withMeta } from "../semantics.js";
import type { TargetExtension } from "../types.js";
import type { ValueMask } from "../values.js";
import { atMostOne } from "./exclusive.js";
import { hex } from "../values.js";
import { applyMark, formatMark, isMarkOperation, MARK_OPERATIONS, parseMarkOperation } from "./mark-ops.js";

/** The kernel sets `mark = (mark & ~mask) ^ value`. */
export type MarkOptions = ValueMask;

export const MARK: TargetExtension<MarkOptions> = {
  kind: "target",
  name: "MARK",
  options: MARK_OPERATIONS,
  parse(uses, ctx) {
    const use = atMostOne(ctx, uses, isMarkOperation) ?? ctx.fail(ctx.at, "MARK needs one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark", "missing-option");
    return parseMarkOperation(ctx, use);
  },
  save: (o) => ` --set-xmark ${formatMark(o)}`,
  // mark_tg: skb->mark = (skb->mark & ~info->mask) ^ info->mark; XT_CONTINUE.
  apply: (o, env) => {
    const mark = applyMark(env.meta.mark, o);
    return { kind: "continue", update: (meta) => withMeta(meta, { mark }), note: `MARK: mark ${hex(env.meta.mark)} → ${hex(mark)}` };
  },
};
