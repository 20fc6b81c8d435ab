/**
 * `-p tcp -j SYNPROXY [--sack-perm] [--timestamp] [--wscale N] [--mss N]
 * [--ecn]` (libxt_SYNPROXY, kernel ipt_SYNPROXY / ip6t_SYNPROXY): answer a
 * SYN with a SYN cookie and open the connection to the server only for a
 * client that comes back with a valid ACK. Filter INPUT and FORWARD, TCP only.
 */
import type { TargetExtension } from "../types.js";
import { parseUInt } from "../values.js";

export interface SynproxyOptions {
  readonly sackPerm: boolean;
  readonly timestamp: boolean;
  readonly wscale: number | undefined;
  readonly mss: number | undefined;
  readonly ecn: boolean;
}

const TCP = 6;
const FIN = 1;
const SYN = 2;
const RST = 4;
const ACK = 16;

export const SYNPROXY: TargetExtension<SynproxyOptions> = {
  kind: "target",
  name: "SYNPROXY",
  tracksConnections: () => true,
  options: ["sack-perm", "timestamp", "wscale", "mss", "ecn"].map((name) => ({ name, args: name === "wscale" || name === "mss" ? 1 : 0 })),
  tables: ["filter"],
  hooks: () => ["INPUT", "FORWARD"],
  parse(uses, ctx) {
    // synproxy_tg4_check: the rule must be for TCP.
    if (ctx.protocol?.value !== TCP || ctx.protocol.negated) ctx.fail(ctx.at, "SYNPROXY needs -p tcp", "missing-protocol");
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    // XTTYPE_UINT32, stored in a u8 (wscale) and a u16 (mss) by SYNPROXY_parse.
    const number = (name: string, bits: number) => {
      const use = given(name);
      return use && parseUInt(ctx, use.args[0]!, `--${name}`, 0, 0xffffffff) % 2 ** bits;
    };
    return { sackPerm: !!given("sack-perm"), timestamp: !!given("timestamp"), wscale: number("wscale", 8), mss: number("mss", 16), ecn: !!given("ecn") };
  },
  save(o) {
    let text = o.sackPerm ? " --sack-perm" : "";
    if (o.timestamp) text += " --timestamp";
    if (o.wscale !== undefined) text += ` --wscale ${o.wscale}`;
    if (o.mss !== undefined) text += ` --mss ${o.mss}`;
    if (o.ecn) text += " --ecn";
    return text;
  },
  /*
   * synproxy_tg4: a SYN is answered with a cookie SYN-ACK and consumed
   * (NF_STOLEN): it goes no further, and the sender gets an answer, which is
   * what the reject effect says. An ACK opens the connection if its cookie is
   * valid (NF_STOLEN), else NF_DROP: nfwalk cannot check a cookie. Anything
   * else goes on (XT_CONTINUE).
   */
  apply(_o, env) {
    const t = env.packet.transport;
    if (t.kind !== "tcp") return { kind: "continue" };
    const has = (bit: number) => (t.flags & bit) !== 0;
    if (has(SYN) && !has(ACK) && !has(FIN) && !has(RST)) return { kind: "reject", reply: "a SYN-ACK with a SYN cookie from SYNPROXY; the SYN itself goes no further" };
    if (has(ACK) && !has(FIN) && !has(RST) && !has(SYN)) {
      return { kind: "unknown", reason: "SYNPROXY opens the connection to the server for an ACK with a valid SYN cookie and drops it otherwise; nfwalk cannot check the cookie" };
    }
    return { kind: "continue" };
  },
};
