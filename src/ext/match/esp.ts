/** `-m esp --espspi SPI[:SPI]` (iptables libxt_esp, kernel xt_esp): the ESP header's security parameter index. */
import type { MatchEnv, MatchResult } from "../semantics.js";
import type { MatchExtension } from "../types.js";
import { parseUIntRange, type Range } from "../values.js";
import { requireProtocol } from "./protocol.js";

/** A 32-bit identifier range (ESP and AH SPIs, IPv6 fragment ids); absent, the full range. */
export interface IdRange {
  readonly range: Range;
  readonly negated: boolean;
}

export const FULL_ID_RANGE: IdRange = { range: { min: 0, max: 0xffffffff }, negated: false };

/** esp_save, ah_save, frag_save: nothing for the full range (its `!` is lost), else `N` or `N:M`. */
export function saveIdRange(option: string, id: IdRange): string {
  const { min, max } = id.range;
  if (min === 0 && max === 0xffffffff) return "";
  return `${id.negated ? " !" : ""} --${option} ${min === max ? min : `${min}:${max}`}`;
}

/** spi_match / id_match on an identifier the packet description does not carry: only the full range is decided. */
export function idRangeMatches(id: IdRange, what: string): MatchResult {
  const { min, max } = id.range;
  if (min === 0 && max === 0xffffffff) return !id.negated;
  return { unknown: `the packet description does not carry the ${what}` };
}

/** Not a later fragment: the header the match reads is there (most L4 matches' fragoff test). */
export function firstFragment(env: MatchEnv): boolean {
  return env.packet.fragmentOffset === 0;
}

const IPPROTO_ESP = 50;

export const esp: MatchExtension<IdRange> = {
  kind: "match",
  name: "esp",
  options: [{ name: "espspi", args: 1, invertible: true }],
  parse(uses, ctx) {
    requireProtocol(ctx, IPPROTO_ESP, "esp");
    const use = uses[0];
    return use ? { range: parseUIntRange(ctx, use.args[0]!, "SPI", 0xffffffff), negated: use.invert } : FULL_ID_RANGE;
  },
  save: (o) => saveIdRange("espspi", o),
  /** esp_mt: never a later fragment; the SPI within the range. */
  match: (o, env) => firstFragment(env) && idRangeMatches(o, "ESP security parameter index (SPI)"),
};
