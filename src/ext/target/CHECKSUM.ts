/** `-j CHECKSUM --checksum-fill` (libxt_CHECKSUM, kernel xt_CHECKSUM): fill in a checksum left to offloading. */
import type { TargetExtension } from "../types.js";

export interface ChecksumOptions {
  readonly fill: true;
}

export const CHECKSUM: TargetExtension<ChecksumOptions> = {
  kind: "target",
  name: "CHECKSUM",
  options: [{ name: "checksum-fill", args: 0 }],
  tables: ["mangle"],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "CHECKSUM needs --checksum-fill", "missing-option");
    return { fill: true };
  },
  save: () => " --checksum-fill",
  // checksum_tg: completes a checksum left to offloading (CHECKSUM_PARTIAL); nothing a rule can see.
  apply: () => ({ kind: "continue" }),
};
