/** `-m icmp6 --icmpv6-type TYPE[/CODE]` (iptables libip6t_icmp6, kernel ip6_tables' icmp6_match): IPv6 only. */
import type { MatchExtension } from "../types.js";
import { boxOf, EMPTY } from "../../sets/packet-set.js";
import { exactly } from "../set-semantics.js";
import { formatIcmpType, ICMPV6_NAMES, icmpTypeCodeMatches, parseIcmpType, type IcmpTypeCode } from "./icmp-codes.js";
import { requireProtocol } from "./protocol.js";

export interface Icmp6Options extends IcmpTypeCode {
  readonly negated: boolean;
}

const IPPROTO_ICMPV6 = 58;

export const icmp6: MatchExtension<Icmp6Options> = {
  kind: "match",
  name: "icmp6",
  families: ["ipv6"],
  options: [{ name: "icmpv6-type", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m icmp6 needs --icmpv6-type", "missing-option");
    requireProtocol(ctx, IPPROTO_ICMPV6, "icmp6");
    return { ...parseIcmpType(ctx, use.args[0]!, ICMPV6_NAMES, "ICMPv6"), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --icmpv6-type ${formatIcmpType(o)}`,
  /** ICMPv6 packets; their type and code are the set's own. */
  matchSet: (o, env) => exactly(icmp6.match!(o, env.probe(IPPROTO_ICMPV6)) === true ? boxOf({ proto: [IPPROTO_ICMPV6, IPPROTO_ICMPV6] }) : EMPTY),
  /** icmp6_match: never a later fragment; icmp6_type_code_match has no "any" type. */
  match(o, env) {
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || t.kind !== "icmpv6") return false;
    return icmpTypeCodeMatches(o, t) !== o.negated;
  },
};
