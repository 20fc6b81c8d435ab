/**
 * `-j LED --led-trigger-id NAME [--led-delay MS|inf] [--led-always-blink]` (libxt_LED,
 * kernel xt_LED): blink the LED trigger "netfilter-NAME". Validated and printed as
 * iptables-save prints it; the LED is no part of a packet's path, and nfwalk does not model it.
 */
import type { TargetExtension } from "../types.js";
import { int32, parseUInt } from "../values.js";
import { utf8Length } from "../utf8.js";

/** sizeof(xt_led_info.id) 27, less "netfilter-" and its NUL. */
const ID_MAX = 16;
/** --led-delay inf: the delay field all ones. */
const INFINITE = 0xffffffff;

export interface LedOptions {
  readonly id: string;
  readonly delay: number;
  readonly alwaysBlink: boolean;
}

export const LED: TargetExtension<LedOptions> = {
  kind: "target",
  name: "LED",
  unmodelled: true,
  options: [
    { name: "led-trigger-id", args: 1 },
    { name: "led-delay", args: 1 },
    { name: "led-always-blink", args: 0 },
  ],
  parse(uses, ctx) {
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const id = (given("led-trigger-id") ?? ctx.fail(ctx.at, "LED needs --led-trigger-id", "missing-option")).args[0]!;
    if (utf8Length(id.text) > ID_MAX) ctx.fail(id, `--led-trigger-id "${id.text}" is longer than ${ID_MAX} bytes`, "bad-value");
    const delay = given("led-delay")?.args[0];
    const ms = delay === undefined ? 0 : /^inf/i.test(delay.text) ? INFINITE : parseUInt(ctx, delay, "--led-delay", 0, 0xffffffff);
    return { id: id.text, delay: ms, alwaysBlink: given("led-always-blink") !== undefined };
  },
  // LED_save: the id always in double quotes; a delay above 0 with printf("%d"), so inf shows as -1.
  save: (o) => ` --led-trigger-id "${o.id.replace(/["\\]/g, (c) => "\\" + c)}"${o.delay > 0 ? ` --led-delay ${int32(o.delay)}` : ""}${o.alwaysBlink ? " --led-always-blink" : ""}`,
};
