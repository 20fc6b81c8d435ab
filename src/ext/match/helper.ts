/** `-m helper --helper NAME` (iptables libxt_helper, kernel xt_helper): the connection (or its master) uses that conntrack helper. */
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
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
  tracksConnections: () => true,
  options: [{ name: "helper", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m helper needs --helper", "missing-option");
    return { name: putString(ctx, use.args[0]!, HELPER_NAME_SIZE, "helper name"), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --helper${saveString(o.name)}`,
  /**
   * helper_mt reads the helper of the connection's master: only a connection a helper
   * expected has one. A first packet nfwalk derives (NEW, or without an entry) has no
   * master, so the match is just its `!`; an ESTABLISHED or RELATED one might have one.
   */
  /** The connection's state is one value a set flow. */
  matchSet: (o, env) => whole(helper.match!(o, env.concrete)),
  match(o, env) {
    const state = env.conntrack.state;
    if (state === "ESTABLISHED" || state === "RELATED") return { unknown: "-m helper looks at the helper of the connection that expected this one, which nfwalk does not follow" };
    return o.negated;
  },
};
