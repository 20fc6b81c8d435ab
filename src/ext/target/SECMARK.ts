/**
 * `-j SECMARK --selctx CONTEXT` (libxt_SECMARK revision 1, kernel
 * xt_SECMARK): label the packet with an SELinux security context. The kernel
 * refuses the rule when no LSM knows the context (no SELinux: always).
 */
import type { TargetExtension } from "../types.js";
import { putString } from "../values.js";

/** SECMARK_SECCTX_MAX 256, with the NUL. */
const SECCTX_BYTES = 256;

export interface SecmarkOptions {
  readonly context: string;
}

export const SECMARK: TargetExtension<SecmarkOptions> = {
  kind: "target",
  name: "SECMARK",
  options: [{ name: "selctx", args: 1 }],
  tables: ["mangle", "security"],
  parse(uses, ctx) {
    const arg = uses[0]?.args[0] ?? ctx.fail(ctx.at, "SECMARK needs --selctx", "missing-option");
    return { context: putString(ctx, arg, SECCTX_BYTES, "--selctx") };
  },
  save: (o) => ` --selctx ${o.context}`,
  // secmark_tg: skb->secmark = the context's secid; only the LSM reads it. XT_CONTINUE.
  apply: (o) => ({ kind: "continue", note: `SECMARK: the packet is labelled ${o.context}` }),
};
