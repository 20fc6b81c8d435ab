/**
 * `-m ah` (iptables libipt_ah / libip6t_ah, kernel ipt_ah / ip6t_ah): the
 * AH header's security parameter index; for IPv6 also its length and
 * whether its reserved field is zero.
 */
import type { MatchResult } from "../semantics.js";
import type { MatchExtension } from "../types.js";
import { parseUInt, parseUIntRange } from "../values.js";
import { FULL_ID_RANGE, firstFragment, idRangeMatches, saveIdRange, type IdRange } from "./esp.js";
import { requireProtocol } from "./protocol.js";

export interface AhOptions {
  readonly spi: IdRange;
  /** IPv6 only: the header length; 0 is never compared, negated or not. */
  readonly length?: { readonly value: number; readonly negated: boolean };
  /** IPv6 only: the reserved field must be zero. */
  readonly reserved: boolean;
}

const IPPROTO_AH = 51;
const SPI = "AH security parameter index (SPI)";

export const ah: MatchExtension<AhOptions> = {
  kind: "match",
  name: "ah",
  options: [
    { name: "ahspi", args: 1, invertible: true },
    { name: "ahlen", args: 1, invertible: true },
    { name: "ahres", args: 0 },
  ],
  parse(uses, ctx) {
    // ipt_ah is bound to -p ah; ip6t_ah finds the header among the extension headers.
    if (ctx.family === "ipv4") requireProtocol(ctx, IPPROTO_AH, "ah");
    let options: AhOptions = { spi: FULL_ID_RANGE, reserved: false };
    for (const use of uses) {
      if (ctx.family === "ipv4" && use.spec.name !== "ahspi") ctx.fail(use.at, `unknown option "${use.at.text}"`, "unknown-option");
      const token = use.args[0]!;
      if (use.spec.name === "ahspi") options = { ...options, spi: { range: parseUIntRange(ctx, token, "SPI", 0xffffffff), negated: use.invert } };
      else if (use.spec.name === "ahlen") options = { ...options, length: { value: parseUInt(ctx, token, "AH length", 0, 0xffffffff), negated: use.invert } };
      else options = { ...options, reserved: true };
    }
    return options;
  },
  save(o) {
    let text = saveIdRange("ahspi", o.spi);
    if (o.length && (o.length.value !== 0 || o.length.negated)) text += `${o.length.negated ? " !" : ""} --ahlen ${o.length.value}`;
    if (o.reserved) text += " --ahres";
    return text;
  },
  /**
   * ah_mt (IPv4): never a later fragment. ah_mt6: the AH header must be in the packet
   * (ipv6_find_hdr; a later fragment shows none), its reserved field is taken as zero.
   */
  match(o, env): MatchResult {
    if (!firstFragment(env) || env.packet.protocol !== IPPROTO_AH) return false;
    const spi = idRangeMatches(o.spi, SPI);
    if (spi === false) return false;
    if (o.length && o.length.value !== 0) return { unknown: "--ahlen compares the AH header's length, which the packet description does not carry" };
    return spi;
  },
};
