/**
 * `-j SET` (libxt_SET revision 3, kernel xt_set): add the packet's addresses and ports to
 * an ipset, delete them from one, or set the packet's mark, priority or queue from the
 * element it finds (--map-set). Validated and printed as iptables-save 1.8.9 prints it;
 * nfwalk loads rules without the ipset definitions (iptables-restore also checks that the
 * sets exist), and what the target changes is not modelled.
 */
import type { Hook } from "../../model/types.js";
import { parseSetReference, type SetReference } from "../match/set.js";
import type { OptionUse, TargetExtension } from "../types.js";
import { parseUInt } from "../values.js";

type MapFlag = "map-mark" | "map-prio" | "map-queue";
const MAP_FLAGS: readonly MapFlag[] = ["map-mark", "map-prio", "map-queue"];
/** UINT32_MAX means "the set's own timeout", so it cannot be given. */
const MAX_TIMEOUT = 0xfffffffe;
/** set_target_v3_checkentry: the priority and the queue can only be set on the way out. */
const PRIO_QUEUE_HOOKS: readonly Hook[] = ["FORWARD", "OUTPUT", "POSTROUTING"];

export interface SetTargetOptions {
  readonly add: SetReference | undefined;
  readonly del: SetReference | undefined;
  readonly map: SetReference | undefined;
  /** --exist: re-adding an element resets its timeout. */
  readonly exist: boolean;
  readonly timeout: number | undefined;
  readonly mapFlags: ReadonlySet<MapFlag>;
}

function saveReference(option: string, ref: SetReference | undefined): string {
  return ref ? ` --${option} ${ref.name} ${ref.directions.join(",")}` : "";
}

export const SET: TargetExtension<SetTargetOptions> = {
  kind: "target",
  name: "SET",
  unmodelled: true,
  // libxt_SET parses the old way, which lets a `!` stand before any option and ignores it.
  options: [
    { name: "add-set", args: 2, invertible: true },
    { name: "del-set", args: 2, invertible: true },
    { name: "map-set", args: 2, invertible: true },
    { name: "exist", args: 0, invertible: true, repeatable: true },
    { name: "timeout", args: 1, invertible: true, repeatable: true },
    ...MAP_FLAGS.map((name) => ({ name, args: 0 as const, invertible: true, repeatable: true })),
  ],
  parse(uses, ctx) {
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const reference = (use: OptionUse | undefined) => use && parseSetReference(ctx, use);
    const [add, del, map] = [reference(given("add-set")), reference(given("del-set")), reference(given("map-set"))];
    if (!add && !del && !map) ctx.fail(ctx.at, "SET needs --add-set, --del-set or --map-set", "missing-option");
    const exist = given("exist");
    // The last --timeout counts.
    const timeoutUse = uses.filter((u) => u.spec.name === "timeout").at(-1);
    if (!add && exist) ctx.fail(exist.at, "--exist goes with --add-set only", "missing-option");
    if (!add && timeoutUse) ctx.fail(timeoutUse.at, "--timeout goes with --add-set only", "missing-option");
    const mapFlags = new Set(MAP_FLAGS.filter((flag) => given(flag)));
    for (const flag of mapFlags) if (!map) ctx.fail(given(flag)!.at, `--${flag} goes with --map-set only`, "missing-option");
    if (map && mapFlags.size === 0) ctx.fail(given("map-set")!.at, "--map-set needs --map-mark, --map-prio or --map-queue", "missing-option");
    if (map && ctx.table !== "mangle") ctx.fail(given("map-set")!.at, "--map-set works in the mangle table only (the kernel refuses it elsewhere)", "bad-table");
    const timeout = timeoutUse && parseUInt(ctx, timeoutUse.args[0]!, "--timeout", 0, MAX_TIMEOUT);
    return { add, del, map, exist: exist !== undefined, timeout, mapFlags };
  },
  hooks: (o) => (o.mapFlags.has("map-prio") || o.mapFlags.has("map-queue") ? PRIO_QUEUE_HOOKS : undefined),
  save: (o) =>
    saveReference("add-set", o.add) +
    (o.exist ? " --exist" : "") +
    (o.timeout === undefined ? "" : ` --timeout ${o.timeout}`) +
    saveReference("del-set", o.del) +
    saveReference("map-set", o.map) +
    MAP_FLAGS.map((flag) => (o.mapFlags.has(flag) ? ` --${flag}` : "")).join(""),
};
