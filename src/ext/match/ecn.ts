/**
 * `-m ecn` (iptables libxt_ecn, kernel xt_ecn): the ECN field of the IP
 * header (ECT codepoint 0–3) and the TCP header's ECE and CWR flags.
 */
import type { MatchResult } from "../semantics.js";
import type { MatchExtension } from "../types.js";
import { byProtocol } from "../set-semantics.js";
import { parseUInt } from "../values.js";

export interface EcnFlag {
  readonly negated: boolean;
}

export interface EcnOptions {
  readonly ece?: EcnFlag;
  readonly cwr?: EcnFlag;
  readonly ect?: { readonly value: number; readonly negated: boolean };
}

const IPPROTO_TCP = 6;
const ECE = 0x40;
const CWR = 0x80;
const ECN_IP_MASK = 0x03;

export const ecn: MatchExtension<EcnOptions> = {
  kind: "match",
  name: "ecn",
  options: [
    { name: "ecn-tcp-cwr", args: 0, invertible: true },
    { name: "ecn-tcp-ece", args: 0, invertible: true },
    { name: "ecn-ip-ect", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m ecn needs --ecn-tcp-cwr, --ecn-tcp-ece or --ecn-ip-ect", "missing-option");
    let options: EcnOptions = {};
    for (const use of uses) {
      if (use.spec.name === "ecn-ip-ect") {
        options = { ...options, ect: { value: parseUInt(ctx, use.args[0]!, "ECT codepoint", 0, 3), negated: use.invert } };
        continue;
      }
      // ecn_mt_check4/6: the TCP flags need -p tcp, not negated.
      if (ctx.protocol?.value !== IPPROTO_TCP || ctx.protocol.negated) ctx.fail(use.at, `--${use.spec.name} needs -p tcp`, "missing-protocol");
      options = { ...options, [use.spec.name === "ecn-tcp-ece" ? "ece" : "cwr"]: { negated: use.invert } };
    }
    return options;
  },
  save(o) {
    const flag = (name: string, f: EcnFlag | undefined) => (f ? `${f.negated ? " !" : ""} --${name}` : "");
    let text = flag("ecn-tcp-ece", o.ece) + flag("ecn-tcp-cwr", o.cwr);
    if (o.ect) text += `${o.ect.negated ? " !" : ""} --ecn-ip-ect ${o.ect.value}`;
    return text;
  },
  /** The IP ECN field and TCP flags are one value a set flow; whether there are TCP flags is the protocol's. */
  matchSet: (o, env) => byProtocol(env, (probe) => ecn.match!(o, probe)),
  /** ecn_mt4 / ecn_mt6: the IP ECN field, then (match_tcp) each flag set or, under `!`, clear. */
  match(o, env): MatchResult {
    const { packet } = env;
    if (o.ect && ((packet.tos & ECN_IP_MASK) === o.ect.value) === o.ect.negated) return false;
    if (!o.ece && !o.cwr) return true;
    // match_tcp reads the TCP header wherever the transport header would be, fragment or not.
    if (packet.fragmentOffset !== 0) return { unknown: "in a later fragment, -m ecn reads fragment data as the TCP flags" };
    const flags = packet.transport.kind === "tcp" ? packet.transport.flags : 0;
    const holds = (bit: number, f: EcnFlag | undefined) => !f || ((flags & bit) !== 0) !== f.negated;
    return holds(ECE, o.ece) && holds(CWR, o.cwr);
  },
};
