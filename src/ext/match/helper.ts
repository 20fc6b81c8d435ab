/** `-m helper --helper NAME` (iptables libxt_helper, kernel xt_helper): the connection (or its master) uses that conntrack helper. */
import type { MatchExtension } from "../types.js";
import { putString, saveString } from "../values.js";

/** xt_helper_info.name is char[30]. */
const HELPER_NAME_SIZE = 30;

export interface HelperOptions {
  readonly name: string;
  readonly negated: boolean;
}

export const helper: MatchExtension<HelperOptions> = {
  kind: "match",
  name: "helper",
  options: [{ name: "helper", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m helper needs --helper", "missing-option");
    return { name: putString(ctx, use.args[0]!, HELPER_NAME_SIZE, "helper name"), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --helper${saveString(o.name)}`,
};
