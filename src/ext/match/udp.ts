/**
 * `-m udp` (iptables libxt_udp, kernel xt_tcpudp): source and destination
 * port ranges. iptables-nft turns a udp match with any option into native
 * payload comparisons (nft.c add_nft_udp) and reads them back on save, which
 * reshapes some ranges; the options here are kept in that loaded shape.
 */
import type { MatchExtension } from "../types.js";
import { portMatch, portsWords, SharedByPort } from "./ports.js";
import { requireProtocol } from "./protocol.js";
import { isXtMatch, nativePorts, VANISHED, portMatches, portValues, savePorts, singlePort } from "./tcp.js";
import type { PortMatch } from "./ports.js";
import { boxOf, EVERYTHING, minus, type PacketSet } from "../../sets/packet-set.js";
import { exactly } from "../set-semantics.js";
import { optionsOneByOne } from "../values.js";

/**
 * With both ports single, non-zero and negated, nf_tables compares the pair
 * at once: the rule matches unless both ports are equal (not "neither").
 */
export interface UdpOptions {
  readonly sport?: PortMatch;
  readonly dport?: PortMatch;
  /** No comparison kept: no `-m udp` in the print, every packet of the rule's -p matches. */
  readonly vanished?: true;
}

const IPPROTO_UDP = 17;

const DESTINATION_PORT_ONLY = new SharedByPort<UdpOptions>((dport) => ({ sport: undefined, dport }));
/** `-m udp` alone, shared. */
const NO_OPTIONS: UdpOptions = Object.freeze({ sport: undefined, dport: undefined });

export const udp: MatchExtension<UdpOptions> = {
  kind: "match",
  name: "udp",
  options: [
    { name: "source-port", aliases: ["sport"], args: 1, invertible: true },
    { name: "destination-port", aliases: ["dport"], args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    // `-m udp` alone (kube-proxy writes it on half its udp rules): the shared empty options of
    // an xtables match, without the general path's calls (most of a dump's uses run before V8 optimizes it).
    if (uses.length === 0) {
      requireProtocol(ctx, IPPROTO_UDP, "udp");
      return NO_OPTIONS;
    }
    let givenSport: PortMatch | undefined;
    let givenDport: PortMatch | undefined;
    for (const use of uses) {
      if (use.spec.name === "source-port") givenSport = portMatch(ctx, use);
      else givenDport = portMatch(ctx, use);
    }
    const { sport, dport, dropped } = nativePorts(givenSport, givenDport, uses, ctx);
    const options: UdpOptions = sport ? { sport, dport } : dport ? DESTINATION_PORT_ONLY.of(dport) : dropped ? VANISHED : NO_OPTIONS;
    // Without effective options the match stays an xtables match, checked by the kernel.
    requireProtocol(ctx, IPPROTO_UDP, "udp", !isXtMatch(options, uses));
    return options;
  },
  save: (o) => (o.vanished ? null : savePorts("sport", o.sport) + savePorts("dport", o.dport)),
  /** The nf_tables payload comparisons add_nft_tcpudp makes of the ports; they never match a later fragment. */
  match(o, env) {
    if (o.vanished) return true;
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || t.kind !== "udp") return false;
    const { sport, dport } = o;
    if (sport && dport && isSingleNegated(sport) && isSingleNegated(dport)) return t.sport !== sport.range.min || t.dport !== dport.range.min;
    return portMatches(sport, t.sport) && portMatches(dport, t.dport);
  },
  matchSet: (o) => exactly(udpSet(o)),
  /** A vanished match compares nothing, so later fragments pass it too. */
  headerOnly: (o) => ({ set: udpSet(o), laterFragments: o.vanished === true }),
  requiredDestinationPort: (o) => singlePort(o.dport),
  explain: {
    parts: (o) => optionsOneByOne(o),
    packetHas: (o, env) => portsWords(env, o.dport !== undefined ? "destination" : o.sport !== undefined ? "source" : undefined),
  },
};

const UDP = 17;

/** UDP packets in the port ranges (two single negated ports: all but that pair, as above). */
function udpSet(o: UdpOptions): PacketSet {
  if (o.vanished) return EVERYTHING;
  const { sport, dport } = o;
  if (sport && dport && isSingleNegated(sport) && isSingleNegated(dport)) {
    return minus(boxOf({ proto: [UDP, UDP] }), boxOf({ sport: [sport.range.min, sport.range.min], dport: [dport.range.min, dport.range.min] }));
  }
  return boxOf({ proto: [UDP, UDP], sport: portValues(sport), dport: portValues(dport) });
}

/** A negated single non-zero port: with two of them nf_tables compares both ports in one 32-bit word. */
function isSingleNegated(p: PortMatch): boolean {
  return p.negated && p.range.min !== 0 && p.range.min === p.range.max;
}
