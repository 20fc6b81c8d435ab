/**
 * `-m udp` (iptables libxt_udp, kernel xt_tcpudp): source and destination
 * port ranges. iptables-nft turns a udp match with any option into native
 * payload comparisons (nft.c add_nft_udp) and reads them back on save, which
 * reshapes some ranges; the options here are kept in that loaded shape.
 */
import type { MatchExtension } from "../types.js";
import { portMatch } from "./ports.js";
import { requireProtocol } from "./protocol.js";
import { savePorts, type PortMatch } from "./tcp.js";

/**
 * With both ports single, non-zero and negated, nf_tables compares the pair
 * at once: the rule matches unless both ports are equal (not "neither").
 */
export interface UdpOptions {
  readonly sport?: PortMatch;
  readonly dport?: PortMatch;
}

const IPPROTO_UDP = 17;

/**
 * What nf_tables keeps of a port option: a negated full range is dropped
 * (it emits no comparison), and a negated `0:hi` is a "greater than hi"
 * comparison that iptables-save prints as `hi+1:65535`.
 */
export function nftPortMatch(match: PortMatch): PortMatch | undefined {
  const { range, negated } = match;
  if (range.min === 0 && range.max === 65535) return negated ? undefined : match;
  if (negated && range.min === 0 && range.max > 0) return { range: { min: range.max + 1, max: 65535 }, negated: false };
  return match;
}

export const udp: MatchExtension<UdpOptions> = {
  kind: "match",
  name: "udp",
  options: [
    { name: "source-port", aliases: ["sport"], args: 1, invertible: true },
    { name: "destination-port", aliases: ["dport"], args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    let options: UdpOptions = {};
    for (const use of uses) {
      const match = nftPortMatch(portMatch(ctx, use));
      options = { ...options, [use.spec.name === "source-port" ? "sport" : "dport"]: match };
    }
    // Without effective options the match stays an xtables match, checked by the kernel.
    const compat = uses.every((u) => !u.invert) && savePorts("sport", options.sport) + savePorts("dport", options.dport) === "";
    requireProtocol(ctx, IPPROTO_UDP, "udp", !compat);
    return options;
  },
  save: (o) => savePorts("sport", o.sport) + savePorts("dport", o.dport),
};

