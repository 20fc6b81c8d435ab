/**
 * `-m recent` (libxt_recent revision 1, kernel xt_recent): remembers
 * addresses in a named list (/proc/net/xt_recent/NAME). `--set` always
 * matches; the other commands depend on the list, so their verdict is
 * unknown. iptables-save always prints the name, the mask and
 * the side, and prints the name raw (`%s`, no quoting).
 */
import type { Token } from "../../parse/syntax.js";
import { formatIPv4, formatIPv6, parseIPv6 } from "../../model/address.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { inetAton, int32, parseUInt, putString } from "../values.js";

const XT_RECENT_NAME_LEN = 200;
/** The kernel refuses a hitcount of XT_RECENT_MAX_NSTAMPS (65536) or more. */
const MAX_HITCOUNT = 65535;

export type RecentCommand = "set" | "rcheck" | "update" | "remove";
const COMMANDS: readonly RecentCommand[] = ["set", "rcheck", "update", "remove"];

export type RecentMask = { readonly family: "ipv4"; readonly value: number } | { readonly family: "ipv6"; readonly value: bigint };

export interface RecentOptions {
  readonly command: RecentCommand;
  readonly negated: boolean;
  /** 0: any age. */
  readonly seconds: number;
  readonly reap: boolean;
  /** 0: any number of hits. */
  readonly hitcount: number;
  readonly rttl: boolean;
  readonly name: string;
  readonly mask: RecentMask;
  readonly side: "source" | "dest";
}

function parseMask(ctx: ParseContext, token: Token): RecentMask {
  const fail = () => ctx.fail(token, `--mask "${token.text}" is not a numeric ${ctx.family === "ipv4" ? "IPv4" : "IPv6"} address`, "bad-address");
  if (ctx.family === "ipv4") return { family: "ipv4", value: inetAton(token.text) ?? fail() };
  return { family: "ipv6", value: parseIPv6(token.text) ?? fail() };
}

/** The kernel names a file in /proc after the list, so it refuses what cannot be a file name. */
function checkName(ctx: ParseContext, token: Token): string {
  const name = putString(ctx, token, XT_RECENT_NAME_LEN, "recent list name");
  if (name === "" || name === "." || name === ".." || name.includes("/")) {
    ctx.fail(token, `recent list name "${name}" cannot name a file in /proc/net/xt_recent`, "bad-value");
  }
  if (/[\s"']/.test(name)) ctx.warn(token, `iptables-save prints the list name "${name}" without quotes, and iptables-restore cannot read it back`, "unsafe-save");
  return name;
}

export const recent: MatchExtension<RecentOptions> = {
  kind: "match",
  name: "recent",
  unrepeatable: () => true,
  options: [
    ...COMMANDS.map((name) => ({ name, args: 0 as const, invertible: true })),
    { name: "seconds", args: 1 },
    { name: "reap", args: 0 },
    { name: "hitcount", args: 1 },
    { name: "rttl", args: 0 },
    { name: "name", args: 1 },
    { name: "rsource", args: 0, repeatable: true },
    { name: "rdest", args: 0, repeatable: true },
    { name: "mask", args: 1 },
  ],
  parse(uses, ctx) {
    // One pass over the uses (the last --rsource/--rdest wins).
    let first: OptionUse | undefined;
    let rttl: OptionUse | undefined;
    let seconds: OptionUse | undefined;
    let reap: OptionUse | undefined;
    let hitcount: OptionUse | undefined;
    let name: OptionUse | undefined;
    let mask: OptionUse | undefined;
    let side: OptionUse | undefined;
    for (const use of uses) {
      switch (use.spec.name) {
        case "set":
        case "rcheck":
        case "update":
        case "remove":
          if (first) ctx.fail(use.at, `--${first.spec.name} and --${use.spec.name} cannot be used together`, "conflicting-options");
          first = use;
          break;
        case "rttl":
          rttl = use;
          break;
        case "seconds":
          seconds = use;
          break;
        case "reap":
          reap = use;
          break;
        case "hitcount":
          hitcount = use;
          break;
        case "name":
          name = use;
          break;
        case "mask":
          mask = use;
          break;
        case "rsource":
        case "rdest":
          side = use;
          break;
      }
    }
    const command = first ?? ctx.fail(ctx.at, "-m recent needs one of --set, --rcheck, --update or --remove", "missing-option");
    if (rttl && (command.spec.name === "set" || command.spec.name === "remove")) {
      ctx.fail(rttl.at, `--rttl cannot be used together with --${command.spec.name}`, "conflicting-options");
    }
    if (reap && !seconds) ctx.fail(reap.at, "--reap needs --seconds", "missing-option");
    return {
      command: command.spec.name as RecentCommand,
      negated: command.invert,
      seconds: seconds ? parseUInt(ctx, seconds.args[0]!, "--seconds", 1, 0xffffffff) : 0,
      reap: reap !== undefined,
      hitcount: hitcount ? parseUInt(ctx, hitcount.args[0]!, "--hitcount", 0, MAX_HITCOUNT) : 0,
      rttl: rttl !== undefined,
      name: name ? checkName(ctx, name.args[0]!) : "DEFAULT",
      mask: mask ? parseMask(ctx, mask.args[0]!) : ctx.family === "ipv4" ? { family: "ipv4", value: 0xffffffff } : { family: "ipv6", value: (1n << 128n) - 1n },
      side: side?.spec.name === "rdest" ? "dest" : "source",
    };
  },
  save(o) {
    let text = `${o.negated ? " !" : ""} --${o.command}`;
    if (o.seconds) text += ` --seconds ${int32(o.seconds)}`;
    if (o.reap) text += " --reap";
    if (o.hitcount) text += ` --hitcount ${o.hitcount}`;
    if (o.rttl) text += " --rttl";
    const mask = o.mask.family === "ipv4" ? formatIPv4(o.mask.value) : formatIPv6(o.mask.value);
    return `${text} --name ${o.name} --mask ${mask} --r${o.side}`;
  },
  /**
   * recent_mt: --set adds the address (or refreshes it) and returns the
   * match, found or not. --remove matches only when the address was in the
   * list (a miss returns the plain invert flag), --rcheck and --update when
   * it was, recently and often enough: all three depend on the list.
   */
  match(o) {
    if (o.command === "set") return !o.negated;
    const what = o.command === "remove" ? "whether the address is in it" : "when and how often the address was added to it";
    return { unknown: `-m recent --${o.command} --name ${o.name}: depends on the recent list (${what})` };
  },
};
