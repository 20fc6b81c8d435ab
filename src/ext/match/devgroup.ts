/** `-m devgroup` (iptables libxt_devgroup, kernel xt_devgroup): the device group of the input or output interface, under a mask. */
import type { Hook } from "../../model/types.js";
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
import type { ValueMask } from "../values.js";
import { DEVICE_GROUPS, formatNamedValueMask, parseNamedValueMask } from "./val-mask.js";

export interface DevgroupOptions {
  readonly source?: ValueMask & { readonly negated: boolean };
  readonly destination?: ValueMask & { readonly negated: boolean };
}

/** devgroup_mt_checkentry: the input device exists in these hooks, the output device in those. */
const SOURCE_HOOKS: readonly Hook[] = ["PREROUTING", "INPUT", "FORWARD"];
const DESTINATION_HOOKS: readonly Hook[] = ["FORWARD", "OUTPUT", "POSTROUTING"];

export const devgroup: MatchExtension<DevgroupOptions> = {
  kind: "match",
  name: "devgroup",
  options: [
    { name: "src-group", args: 1, invertible: true },
    { name: "dst-group", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m devgroup needs --src-group or --dst-group", "missing-option");
    let options: DevgroupOptions = {};
    for (const use of uses) {
      const group = { ...parseNamedValueMask(ctx, use.args[0]!, DEVICE_GROUPS, "device group"), negated: use.invert };
      options = { ...options, [use.spec.name === "src-group" ? "source" : "destination"]: group };
    }
    return options;
  },
  save(o) {
    const one = (option: string, g: DevgroupOptions["source"]) => (g ? `${g.negated ? " !" : ""} --${option} ${formatNamedValueMask(g, DEVICE_GROUPS)}` : "");
    return one("src-group", o.source) + one("dst-group", o.destination);
  },
  hooks(o) {
    if (o.source && o.destination) return SOURCE_HOOKS.filter((h) => DESTINATION_HOOKS.includes(h));
    return o.source ? SOURCE_HOOKS : DESTINATION_HOOKS;
  },
  /** devgroup_mt: ((group ^ value) & mask) == 0 for each given side, inverted by its `!`; nfwalk's host model has no device groups. */
  /** Decided by the masks alone, or undetermined: the same for every packet. */
  matchSet: (o, env) => whole(devgroup.match!(o, env.concrete)),
  match(o) {
    const sides = [o.source, o.destination].filter((g) => g !== undefined);
    // A zero mask compares nothing: that side holds unless it is negated.
    if (sides.some((g) => g.mask === 0 && g.negated)) return false;
    if (sides.every((g) => g.mask === 0)) return true;
    return { unknown: "-m devgroup compares the interface's device group, which nfwalk's host model does not carry" };
  },
};
