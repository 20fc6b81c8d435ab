/** `-j CLASSIFY --set-class MAJOR:MINOR` (libxt_CLASSIFY, kernel xt_CLASSIFY): set the packet's tc class. */
import type { TargetExtension } from "../types.js";

export interface ClassifyOptions {
  /** skb->priority: the major number in the high 16 bits, the minor in the low. */
  readonly priority: number;
}

export const CLASSIFY: TargetExtension<ClassifyOptions> = {
  kind: "target",
  name: "CLASSIFY",
  options: [{ name: "set-class", args: 1 }],
  hooks: () => ["FORWARD", "OUTPUT", "POSTROUTING"],
  parse(uses, ctx) {
    const arg = uses[0]?.args[0] ?? ctx.fail(ctx.at, "CLASSIFY needs --set-class MAJOR:MINOR", "missing-option");
    // sscanf("%x:%x"): hex numbers, anything after the minor ignored, each cut to 16 bits (TC_H_MAKE).
    const m = /^\s*(?:0[xX])?([0-9a-fA-F]+):\s*(?:0[xX])?([0-9a-fA-F]+)/.exec(arg.text) ?? ctx.fail(arg, `bad class "${arg.text}": MAJOR:MINOR in hex`, "bad-value");
    const major = Number(BigInt("0x" + m[1]!) & 0xffffn);
    const minor = Number(BigInt("0x" + m[2]!) & 0xffffn);
    return { priority: ((major << 16) | minor) >>> 0 };
  },
  save(o) {
    const four = (n: number) => n.toString(16).padStart(4, "0");
    return ` --set-class ${four(o.priority >>> 16)}:${four(o.priority & 0xffff)}`;
  },
  // classify_tg: skb->priority = info->priority; only traffic control reads it.
  apply: (o) => ({ kind: "continue", note: `CLASSIFY: tc class ${(o.priority >>> 16).toString(16)}:${(o.priority & 0xffff).toString(16)}` }),
};
