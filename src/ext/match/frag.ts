/**
 * `-m frag` (iptables libip6t_frag, kernel ip6t_frag): the IPv6 fragment
 * header: its identification, reserved bits, and whether the packet is
 * the first, a middle or the last fragment.
 */
import type { MatchResult } from "../semantics.js";
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
import { parseUInt, parseUIntRange } from "../values.js";
import { FULL_ID_RANGE, idRangeMatches, saveIdRange, type IdRange } from "./esp.js";

export interface FragOptions {
  readonly id: IdRange;
  /** --fraglen: kept and printed, but ip6t_frag never compares it. */
  readonly length?: { readonly value: number; readonly negated: boolean };
  readonly reserved: boolean;
  readonly first: boolean;
  /** --fragmore (more fragments follow) or --fraglast (none do). */
  readonly more?: boolean;
}

const FLAG_OPTIONS = ["fragres", "fragfirst", "fragmore", "fraglast"] as const;

export const frag: MatchExtension<FragOptions> = {
  kind: "match",
  name: "frag",
  families: ["ipv6"],
  options: [{ name: "fragid", args: 1, invertible: true }, { name: "fraglen", args: 1, invertible: true }, ...FLAG_OPTIONS.map((name) => ({ name, args: 0 as const }))],
  parse(uses, ctx) {
    let options: FragOptions = { id: FULL_ID_RANGE, reserved: false, first: false };
    for (const use of uses) {
      const token = use.args[0]!;
      switch (use.spec.name) {
        case "fragid":
          options = { ...options, id: { range: parseUIntRange(ctx, token, "fragment id", 0xffffffff), negated: use.invert } };
          break;
        case "fraglen":
          options = { ...options, length: { value: parseUInt(ctx, token, "fragment header length", 0, 0xffffffff), negated: use.invert } };
          break;
        case "fragres":
          options = { ...options, reserved: true };
          break;
        case "fragfirst":
          options = { ...options, first: true };
          break;
        default:
          if (options.more !== undefined) ctx.fail(use.at, "--fragmore cannot be used together with --fraglast", "conflicting-options");
          options = { ...options, more: use.spec.name === "fragmore" };
      }
    }
    return options;
  },
  save(o) {
    let text = saveIdRange("fragid", o.id);
    if (o.length) text += `${o.length.negated ? " !" : ""} --fraglen ${o.length.value}`;
    if (o.reserved) text += " --fragres";
    if (o.first) text += " --fragfirst";
    if (o.more !== undefined) text += o.more ? " --fragmore" : " --fraglast";
    return text;
  },
  /**
   * frag_mt6: false without a fragment header; then the id, the reserved bits (taken as
   * zero), first (offset 0), more (MF set) or last (MF clear).
   */
  /** A set's packets are whole, never fragments: the same answer for all. */
  matchSet: (o, env) => whole(frag.match!(o, env.concrete)),
  match(o, env): MatchResult {
    const p = env.packet;
    if (p.fragmentOffset === 0 && !p.moreFragments) return false;
    if ((o.first && p.fragmentOffset !== 0) || (o.more !== undefined && o.more !== p.moreFragments)) return false;
    return idRangeMatches(o.id, "fragment identification");
  },
};
