/** `-j CONNSECMARK --save|--restore` (libxt_CONNSECMARK, kernel xt_CONNSECMARK): copy the security mark between packet and connection. */
import type { TargetExtension } from "../types.js";
import { atMostOne } from "./exclusive.js";

export interface ConnsecmarkOptions {
  readonly mode: "save" | "restore";
}

export const CONNSECMARK: TargetExtension<ConnsecmarkOptions> = {
  kind: "target",
  name: "CONNSECMARK",
  tracksConnections: () => true,
  options: [
    { name: "save", args: 0 },
    { name: "restore", args: 0 },
  ],
  tables: ["mangle", "security"],
  parse(uses, ctx) {
    const use = atMostOne(ctx, uses, () => true) ?? ctx.fail(ctx.at, "CONNSECMARK needs --save or --restore", "missing-option");
    return { mode: use.spec.name as ConnsecmarkOptions["mode"] };
  },
  save: (o) => ` --${o.mode}`,
  // connsecmark_tg: copies skb->secmark to or from the connection; no rule nfwalk models reads it.
  apply: (o) => ({
    kind: "continue",
    note: o.mode === "save" ? "CONNSECMARK: the packet's security mark is saved to its connection" : "CONNSECMARK: the connection's security mark is restored to the packet",
  }),
};
