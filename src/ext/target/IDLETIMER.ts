/**
 * `-j IDLETIMER --timeout SECONDS --label NAME [--alarm]` (libxt_IDLETIMER
 * revision 1, kernel xt_IDLETIMER): restart a timer that notifies userspace
 * through sysfs when no packet has hit the rule for that long.
 */
import type { TargetExtension } from "../types.js";
import { parseUInt, putString } from "../values.js";

/** MAX_IDLETIMER_LABEL_SIZE 28, with the NUL. */
const LABEL_BYTES = 28;

export interface IdletimerOptions {
  readonly timeout: number;
  readonly label: string;
  /** XT_IDLETIMER_ALARM: an alarm timer, which also runs while the system sleeps. */
  readonly alarm: boolean;
}

export const IDLETIMER: TargetExtension<IdletimerOptions> = {
  kind: "target",
  name: "IDLETIMER",
  options: [
    { name: "timeout", args: 1 },
    { name: "label", args: 1 },
    { name: "alarm", args: 0 },
  ],
  parse(uses, ctx) {
    const arg = (name: string) => uses.find((u) => u.spec.name === name)?.args[0] ?? ctx.fail(ctx.at, `IDLETIMER needs --${name}`, "missing-option");
    return {
      timeout: parseUInt(ctx, arg("timeout"), "--timeout", 0, 0xffffffff),
      label: putString(ctx, arg("label"), LABEL_BYTES, "--label"),
      alarm: uses.some((u) => u.spec.name === "alarm"),
    };
  },
  save: (o) => ` --timeout ${o.timeout} --label ${o.label}${o.alarm ? " --alarm" : ""}`,
  // idletimer_tg: mod_timer(now + timeout); XT_CONTINUE.
  apply: (o) => ({ kind: "continue", note: `IDLETIMER: timer "${o.label}" restarts (${o.timeout} s)` }),
};
