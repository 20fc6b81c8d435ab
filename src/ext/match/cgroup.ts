/**
 * `-m cgroup` (libxt_cgroup revision 1, kernel xt_cgroup): the net_cls
 * class id (--cgroup) or the cgroup v2 path (--path) of the packet's socket.
 * The kernel resolves the path when the rule loads, which nfwalk cannot check.
 */
import type { Hook } from "../../model/types.js";
import type { MatchExtension } from "../types.js";
import { utf8Length } from "../utf8.js";
import { parseUInt, saveString } from "../values.js";

export type CgroupOptions = { readonly classid: number; readonly negated: boolean } | { readonly path: string; readonly negated: boolean };

const HOOKS: readonly Hook[] = ["INPUT", "OUTPUT", "POSTROUTING"];
/** PATH_MAX, with the NUL. */
const PATH_SIZE = 4096;

export const cgroup: MatchExtension<CgroupOptions> = {
  kind: "match",
  name: "cgroup",
  options: [
    { name: "cgroup", args: 1, invertible: true },
    { name: "path", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m cgroup needs --cgroup CLASSID or --path PATH", "missing-option");
    const other = uses[1];
    if (other) ctx.fail(other.at, "--cgroup and --path cannot be used together", "conflicting-options");
    const arg = use.args[0]!;
    if (use.spec.name === "cgroup") return { classid: parseUInt(ctx, arg, "--cgroup", 0, 0xffffffff), negated: use.invert };
    if (utf8Length(arg.text) >= PATH_SIZE) ctx.fail(arg, `--path is longer than ${PATH_SIZE - 1} bytes`, "bad-value");
    return { path: arg.text, negated: use.invert };
  },
  hooks: () => HOOKS,
  save: (o) => `${o.negated ? " !" : ""}${"path" in o ? ` --path${saveString(o.path)}` : ` --cgroup ${o.classid}`}`,
  /**
   * cgroup_mt_v1: without a full socket of this namespace the match fails,
   * negated or not. Locally sent packets have one, whose cgroup nfwalk does
   * not know; on the way in, early demux may attach the receiving socket.
   */
  match(o, env) {
    if (env.socket === undefined && env.hook !== "INPUT") return false;
    const what = "path" in o ? `--path ${o.path}` : `--cgroup ${o.classid}`;
    return { unknown: `-m cgroup ${what}: depends on the cgroup of the packet's socket` };
  },
};
