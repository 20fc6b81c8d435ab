/**
 * `-m iprange` (iptables libxt_iprange revision 1, kernel xt_iprange): the
 * source or destination address lies in an inclusive range. A reversed
 * range loads (iptables only warns) and matches nothing.
 */
import type { Token } from "../../parse/syntax.js";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "../../model/address.js";
import type { Address } from "../../packet/packet.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { addressRanges, negatedIf } from "../../sets/address-set.js";
import { EVERYTHING, intersect, type PacketSet } from "../../sets/packet-set.js";
import { exactly } from "../set-semantics.js";

export type AddressRange = { readonly family: "ipv4"; readonly min: number; readonly max: number } | { readonly family: "ipv6"; readonly min: bigint; readonly max: bigint };

export interface IprangeOptions {
  readonly source?: { readonly range: AddressRange; readonly negated: boolean };
  readonly destination?: { readonly range: AddressRange; readonly negated: boolean };
}

/** `a-b`, or a single address meaning `a-a`. */
function parseRange(ctx: ParseContext, token: Token): AddressRange {
  const [minText = "", maxText = minText, extra] = token.text.split("-");
  if (extra !== undefined) ctx.fail(token, `bad address range "${token.text}"`, "bad-address");
  const bad = (text: string): never => ctx.fail(token, `"${text}" is not an ${ctx.family === "ipv4" ? "IPv4" : "IPv6"} address`, "bad-address");
  if (ctx.family === "ipv4") return { family: "ipv4", min: parseIPv4(minText) ?? bad(minText), max: parseIPv4(maxText) ?? bad(maxText) };
  return { family: "ipv6", min: parseIPv6(minText) ?? bad(minText), max: parseIPv6(maxText) ?? bad(maxText) };
}

function formatRange(option: string, match: IprangeOptions["source"]): string {
  if (!match) return "";
  const { range } = match;
  const text = range.family === "ipv4" ? `${formatIPv4(range.min)}-${formatIPv4(range.max)}` : `${formatIPv6(range.min)}-${formatIPv6(range.max)}`;
  return `${match.negated ? " !" : ""} --${option} ${text}`;
}

export const iprange: MatchExtension<IprangeOptions> = {
  kind: "match",
  name: "iprange",
  options: [
    { name: "src-range", args: 1, invertible: true },
    { name: "dst-range", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m iprange needs --src-range or --dst-range", "missing-option");
    let options: IprangeOptions = {};
    for (const use of uses) {
      const match = { range: parseRange(ctx, use.args[0]!), negated: use.invert };
      options = { ...options, [use.spec.name === "src-range" ? "source" : "destination"]: match };
    }
    return options;
  },
  save: (o) => formatRange("src-range", o.source) + formatRange("dst-range", o.destination),
  /** iprange_mt4 / iprange_mt6: each given range holds, or fails under its `!`. */
  match: (o, env) => inRange(env.packet.src, o.source) && inRange(env.packet.dst, o.destination),
  matchSet: (o) => exactly(intersect(rangeSet("src", o.source), rangeSet("dst", o.destination))),
  /** IPv6 ranges are not in the packet sets' fields. */
  headerOnly: (o) =>
    o.source?.range.family === "ipv6" || o.destination?.range.family === "ipv6" ? undefined : { set: intersect(rangeSet("src", o.source), rangeSet("dst", o.destination)), laterFragments: true },
};

function rangeSet(field: "src" | "dst", match: IprangeOptions["source"]): PacketSet {
  if (!match) return EVERYTHING;
  const { family, min, max } = match.range;
  // A reversed range holds no address (addressRanges gives no box for it).
  return negatedIf(match.negated, addressRanges(field, family, min <= max ? [[min, max]] : []));
}

function inRange(address: Address, match: IprangeOptions["source"]): boolean {
  if (!match) return true;
  const { min, max } = match.range;
  return (address.value >= min && address.value <= max) !== match.negated;
}
