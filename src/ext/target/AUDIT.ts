/** `-j AUDIT --type accept|drop|reject` (libxt_AUDIT, kernel xt_AUDIT): write an audit record. */
import type { TargetExtension } from "../types.js";

const AUDIT_TYPES = ["accept", "drop", "reject"] as const;

export interface AuditOptions {
  readonly type: (typeof AUDIT_TYPES)[number];
}

export const AUDIT: TargetExtension<AuditOptions> = {
  kind: "target",
  name: "AUDIT",
  options: [{ name: "type", args: 1 }],
  parse(uses, ctx) {
    const arg = uses[0]?.args[0] ?? ctx.fail(ctx.at, "AUDIT needs --type accept|drop|reject", "missing-option");
    const type = AUDIT_TYPES.find((t) => t === arg.text.toLowerCase()) ?? ctx.fail(arg, `bad audit type "${arg.text}"`, "bad-value");
    return { type };
  },
  save: (o) => ` --type ${o.type}`,
  /*
   * audit_tg: one AUDIT_NETFILTER_PKT record with the mark, addresses and
   * protocol; since Linux 4.12 the record no longer carries --type. XT_CONTINUE.
   */
  apply: (o) => ({ kind: "continue", note: `AUDIT: the kernel writes a NETFILTER_PKT audit record (mark, addresses, protocol); --type ${o.type} is not in it` }),
};
