/** `-m icmp --icmp-type TYPE[/CODE]` (iptables libipt_icmp, kernel ip_tables' icmp_match): IPv4 only. */
import type { MatchExtension } from "../types.js";
import { formatIcmpType, ICMP_NAMES, icmpTypeCodeMatches, parseIcmpType, type IcmpTypeCode } from "./icmp-codes.js";
import { requireProtocol } from "./protocol.js";
import { boxOf, EMPTY } from "../../sets/packet-set.js";
import { exactly } from "../set-semantics.js";

const ICMP = 1;

export interface IcmpOptions extends IcmpTypeCode {
  readonly negated: boolean;
}

const IPPROTO_ICMP = 1;
/** Type 255 matches every ICMP packet (the kernel's "any" hack). */
const ANY_TYPE = 255;

export const icmp: MatchExtension<IcmpOptions> = {
  kind: "match",
  name: "icmp",
  families: ["ipv4"],
  options: [{ name: "icmp-type", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m icmp needs --icmp-type", "missing-option");
    requireProtocol(ctx, IPPROTO_ICMP, "icmp");
    return { ...parseIcmpType(ctx, use.args[0]!, ICMP_NAMES, "ICMP"), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --icmp-type ${o.type === ANY_TYPE ? "any" : formatIcmpType(o)}`,
  /** icmp_match: never a later fragment; icmp_type_code_match, where type 255 is any ICMP packet. */
  /** ICMP packets; their type and code are the set's own. */
  matchSet: (o, env) => exactly(icmp.match!(o, env.probe(ICMP)) === true ? boxOf({ proto: [ICMP, ICMP] }) : EMPTY),
  match(o, env) {
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || t.kind !== "icmp") return false;
    return (o.type === ANY_TYPE || icmpTypeCodeMatches(o, t)) !== o.negated;
  },
};
