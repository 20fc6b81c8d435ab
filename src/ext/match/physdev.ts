/**
 * `-m physdev` (libxt_physdev, kernel xt_physdev): the bridge ports a
 * bridged packet came in on and goes out of. The interface names are kept as
 * written; a trailing `+` matches every name with that prefix, as for -i/-o.
 */
import { interfaceMatches } from "../header.js";
import type { Hook } from "../../model/types.js";
import type { MatchEnv } from "../semantics.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";

const IFNAMSIZ = 16;

export interface PhysdevOptions {
  readonly isIn?: { readonly negated: boolean };
  readonly in?: { readonly name: string; readonly negated: boolean };
  readonly isOut?: { readonly negated: boolean };
  readonly out?: { readonly name: string; readonly negated: boolean };
  readonly isBridged?: { readonly negated: boolean };
}

/** In OUTPUT the bridge port is not known yet, so the kernel refuses output tests there unless the rule also requires a bridged packet. */
const WITHOUT_OUTPUT: readonly Hook[] = ["PREROUTING", "INPUT", "FORWARD", "POSTROUTING"];

/** xtables_parse_interface: the kernel's name field holds IFNAMSIZ - 1 characters. */
function interfaceName(ctx: ParseContext, use: OptionUse): { name: string; negated: boolean } {
  const token = use.args[0]!;
  if (token.text.length >= IFNAMSIZ) ctx.fail(token, `interface name "${token.text}" is longer than ${IFNAMSIZ - 1} characters`, "bad-interface");
  return { name: token.text, negated: use.invert };
}

const flag = (negated: boolean, option: string) => `${negated ? " !" : ""} --${option}`;

/**
 * physdev_mt. A packet without bridge information (not bridged, or
 * br_netfilter off) matches only if every option given is negated. Then:
 * bridged means a bridge output port is known; an absent port passes the
 * name tests; a name ending in `+` matches by prefix.
 */
function physdevMatch(o: PhysdevOptions, env: MatchEnv): boolean {
  const { physIn, physOut } = env;
  if (physIn === undefined && physOut === undefined) return [o.isBridged, o.isIn, o.isOut, o.in, o.out].every((x) => x === undefined || x.negated);
  if (o.isBridged && (physOut !== undefined) === o.isBridged.negated) return false;
  if (o.isIn && (physIn !== undefined) === o.isIn.negated) return false;
  if (o.isOut && (physOut !== undefined) === o.isOut.negated) return false;
  if (o.in && physIn !== undefined && interfaceMatches(o.in.name, physIn) === o.in.negated) return false;
  return !o.out || physOut === undefined || interfaceMatches(o.out.name, physOut) !== o.out.negated;
}

export const physdev: MatchExtension<PhysdevOptions> = {
  kind: "match",
  name: "physdev",
  options: [
    { name: "physdev-in", args: 1, invertible: true },
    { name: "physdev-out", args: 1, invertible: true },
    { name: "physdev-is-in", args: 0, invertible: true },
    { name: "physdev-is-out", args: 0, invertible: true },
    { name: "physdev-is-bridged", args: 0, invertible: true },
  ],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m physdev needs at least one --physdev-… option", "missing-option");
    let options: PhysdevOptions = {};
    for (const use of uses) {
      const negated = { negated: use.invert };
      switch (use.spec.name) {
        case "physdev-in":
          options = { ...options, in: interfaceName(ctx, use) };
          break;
        case "physdev-out":
          options = { ...options, out: interfaceName(ctx, use) };
          break;
        case "physdev-is-in":
          options = { ...options, isIn: negated };
          break;
        case "physdev-is-out":
          options = { ...options, isOut: negated };
          break;
        case "physdev-is-bridged":
          options = { ...options, isBridged: negated };
          break;
      }
    }
    return options;
  },
  hooks(o) {
    const testsOutput = o.out !== undefined || o.isOut !== undefined;
    const bridgedOnly = o.isBridged !== undefined && !o.isBridged.negated;
    return testsOutput && !bridgedOnly ? WITHOUT_OUTPUT : undefined;
  },
  /** physdev_save prints the names raw (`%s`). */
  save(o) {
    let text = "";
    if (o.isIn) text += flag(o.isIn.negated, "physdev-is-in");
    if (o.in) text += `${flag(o.in.negated, "physdev-in")} ${o.in.name}`;
    if (o.isOut) text += flag(o.isOut.negated, "physdev-is-out");
    if (o.out) text += `${flag(o.out.negated, "physdev-out")} ${o.out.name}`;
    if (o.isBridged) text += flag(o.isBridged.negated, "physdev-is-bridged");
    return text;
  },
  match: physdevMatch,
};
