/**
 * `-m ttl` (iptables libipt_ttl, kernel ipt_ttl): compares the IPv4 TTL
 * with a number. `-m hl` (ip6t_hl) is the same for the IPv6 hop limit.
 */
import type { Family } from "../../model/types.js";
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
import { parseUInt } from "../values.js";

/** The kernel's modes: equal, not equal (`! --ttl-eq`), less than, greater than. */
export type HopLimitMode = "eq" | "ne" | "lt" | "gt";

export interface HopLimitOptions {
  readonly mode: HopLimitMode;
  readonly value: number;
}

const COMPARE: Readonly<Record<HopLimitMode, (ttl: number, value: number) => boolean>> = {
  eq: (ttl, value) => ttl === value,
  ne: (ttl, value) => ttl !== value,
  lt: (ttl, value) => ttl < value,
  gt: (ttl, value) => ttl > value,
};

/** The match comparing `field` (ttl or hl) of one family. */
export function hopLimitMatch(field: "ttl" | "hl", family: Family): MatchExtension<HopLimitOptions> {
  return {
    kind: "match",
    name: field,
    families: [family],
    options: [
      { name: `${field}-lt`, args: 1 },
      { name: `${field}-gt`, args: 1 },
      // `--ttl` shares the id of `--ttl-eq`, so libxtables treats it as that option, `!` included.
      { name: `${field}-eq`, aliases: [field], args: 1, invertible: true },
    ],
    parse(uses, ctx) {
      const use = uses[0] ?? ctx.fail(ctx.at, `-m ${field} needs one of --${field}-eq, --${field}-lt, --${field}-gt`, "missing-option");
      const other = uses[1];
      if (other) ctx.fail(other.at, `--${other.spec.name} cannot be used together with --${use.spec.name}`, "conflicting-options");
      const suffix = use.spec.name.slice(field.length + 1);
      const mode: HopLimitMode = suffix === "lt" || suffix === "gt" ? suffix : use.invert ? "ne" : "eq";
      return { mode, value: parseUInt(ctx, use.args[0]!, field.toUpperCase(), 0, 255) };
    },
    save: (o) => `${o.mode === "ne" ? " !" : ""} --${field}-${o.mode === "ne" ? "eq" : o.mode} ${o.value}`,
    /** ttl_mt / hl_mt6: the TTL or hop limit compared by the rule's mode. */
    match: (o, env) => COMPARE[o.mode](env.packet.ttl, o.value),
    /** A set flow's packets share one TTL. */
    matchSet: (o, env) => whole(COMPARE[o.mode](env.concrete.packet.ttl, o.value)),
  };
}

export const ttl = hopLimitMatch("ttl", "ipv4");
