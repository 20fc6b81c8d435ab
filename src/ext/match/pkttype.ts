/** `-m pkttype --pkt-type TYPE` (iptables libxt_pkttype, kernel xt_pkttype): the link-layer packet type (PACKET_*). */
import type { MatchEnv } from "../semantics.js";
import type { MatchExtension } from "../types.js";

/** Names by PACKET_* number (HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3); iptables-save prints the first. */
const PACKET_TYPES = [["unicast", "host"], ["broadcast", "bcast"], ["multicast", "mcast"], ["otherhost"]] as const;

export interface PkttypeOptions {
  /** PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST or PACKET_OTHERHOST. */
  readonly type: 0 | 1 | 2 | 3;
  readonly negated: boolean;
}

export const pkttype: MatchExtension<PkttypeOptions> = {
  kind: "match",
  name: "pkttype",
  options: [{ name: "pkt-type", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m pkttype needs --pkt-type", "missing-option");
    const token = use.args[0]!;
    const type = PACKET_TYPES.findIndex((names) => (names as readonly string[]).includes(token.text.toLowerCase()));
    if (type === -1) ctx.fail(token, `bad packet type "${token.text}": unicast, broadcast, multicast or otherhost`, "bad-value");
    return { type: type as PkttypeOptions["type"], negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --pkt-type ${PACKET_TYPES[o.type][0]}`,
  /**
   * pkttype_mt: skb->pkt_type, which eth_type_trans set from the frame's destination
   * on arrival. A packet the host sends itself keeps PACKET_HOST (0) all the way out.
   */
  match(o, env) {
    const type = env.linkType === undefined ? PACKET_HOST : PKT_TYPE_OF[env.linkType];
    return (type === o.type) !== o.negated;
  },
};

const PACKET_HOST = 0;
const PKT_TYPE_OF: Readonly<Record<NonNullable<MatchEnv["linkType"]>, PkttypeOptions["type"]>> = { unicast: 0, broadcast: 1, multicast: 2 };
