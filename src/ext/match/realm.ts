/** `-m realm --realm VALUE[/MASK]` (iptables libipt_realm, kernel xt_realm): the routing realm (tclassid) of the packet's route. */
import type { Hook } from "../../model/types.js";
import type { MatchExtension } from "../types.js";
import type { ValueMask } from "../values.js";
import { formatNamedValueMask, parseNamedValueMask, REALMS } from "./val-mask.js";

export interface RealmOptions extends ValueMask {
  readonly negated: boolean;
}

/** xt_realm's hooks: where the packet has been routed. */
const REALM_HOOKS: readonly Hook[] = ["POSTROUTING", "FORWARD", "OUTPUT", "INPUT"];

export const realm: MatchExtension<RealmOptions> = {
  kind: "match",
  name: "realm",
  families: ["ipv4"],
  options: [{ name: "realm", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m realm needs --realm", "missing-option");
    return { ...parseNamedValueMask(ctx, use.args[0]!, REALMS, "realm"), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --realm ${formatNamedValueMask(o, REALMS)}`,
  hooks: () => REALM_HOOKS,
  /** realm_mt: (dst->tclassid & mask) == value; with a zero mask that is value == 0, else it needs the route's realm, which nfwalk does not model. */
  match(o) {
    if (o.mask === 0) return (o.value === 0) !== o.negated;
    return { unknown: "-m realm compares the route's realm, which nfwalk's routing does not model" };
  },
};
