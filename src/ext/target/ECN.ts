/**
 * `-j ECN` (libipt_ECN, kernel ipt_ECN): set the ECN codepoint of the IPv4
 * header and the ECE/CWR bits of TCP. IPv4, mangle table only.
 */
import { withHeader, withPorts } from "../../packet/packet.js";
import type { TargetExtension } from "../types.js";
import { parseUInt } from "../values.js";
import { hex2 } from "./DSCP.js";

export interface EcnOptions {
  /** IPT_ECN_OP_SET_ECE / _CWR: the TCP bit's new value, or absent to leave it. */
  readonly ece?: 0 | 1;
  readonly cwr?: 0 | 1;
  /** IPT_ECN_OP_SET_IP: the two-bit ECT codepoint. */
  readonly ect?: number;
}

const TCP = 6;
const ECE = 64;
const CWR = 128;
const ECN_BITS = 0x03;

export const ECN: TargetExtension<EcnOptions> = {
  kind: "target",
  name: "ECN",
  families: ["ipv4"],
  options: [
    { name: "ecn-tcp-remove", args: 0 },
    { name: "ecn-tcp-cwr", args: 1 },
    { name: "ecn-tcp-ece", args: 1 },
    { name: "ecn-ip-ect", args: 1 },
  ],
  tables: ["mangle"],
  parse(uses, ctx) {
    const remove = uses.find((u) => u.spec.name === "ecn-tcp-remove");
    const bit = uses.find((u) => u.spec.name === "ecn-tcp-cwr" || u.spec.name === "ecn-tcp-ece");
    if (remove && bit) ctx.fail(bit.at, `${bit.at.text} cannot be combined with --ecn-tcp-remove`, "conflicting-options");
    // In the order given, as ECN_parse fills one struct: --ecn-tcp-remove sets the operation to ECE|CWR, dropping an earlier --ecn-ip-ect.
    let o: EcnOptions = {};
    for (const use of uses) {
      const arg = use.args[0];
      if (use.spec.name === "ecn-tcp-remove") o = { ece: 0, cwr: 0 };
      else if (use.spec.name === "ecn-ip-ect") o = { ...o, ect: parseUInt(ctx, arg!, "--ecn-ip-ect", 0, 3) };
      else o = { ...o, [use.spec.name === "ecn-tcp-cwr" ? "cwr" : "ece"]: parseUInt(ctx, arg!, `--${use.spec.name}`, 0, 1) as 0 | 1 };
    }
    if (o.ece === undefined && o.cwr === undefined && o.ect === undefined) ctx.fail(ctx.at, "ECN needs an operation", "missing-option");
    // ecn_tg_check: the TCP bits need a rule for TCP.
    if ((o.ece !== undefined || o.cwr !== undefined) && (ctx.protocol?.value !== TCP || ctx.protocol.negated)) ctx.fail(ctx.at, "ECN on TCP bits needs -p tcp", "missing-protocol");
    return o;
  },
  save(o) {
    if (o.ece === 0 && o.cwr === 0 && o.ect === undefined) return " --ecn-tcp-remove";
    let text = o.ece === undefined ? "" : ` --ecn-tcp-ece ${o.ece}`;
    if (o.cwr !== undefined) text += ` --ecn-tcp-cwr ${o.cwr}`;
    if (o.ect !== undefined) text += ` --ecn-ip-ect ${o.ect}`;
    return text;
  },
  // ecn_tg: set_ect_ip, then set_ect_tcp for TCP; XT_CONTINUE.
  apply(o, env) {
    const before = env.packet;
    const tos = o.ect === undefined ? before.tos : (before.tos & ~ECN_BITS) | o.ect;
    const t = before.transport;
    const setBit = (flags: number, bit: number, value: 0 | 1 | undefined) => (value === undefined ? flags : value ? flags | bit : flags & ~bit);
    const transport = t.kind === "tcp" ? withPorts(t, t.sport, t.dport, setBit(setBit(t.flags, ECE, o.ece), CWR, o.cwr)) : t;
    const changes = [
      ...(tos !== before.tos ? [`TOS byte 0x${hex2(before.tos)} → 0x${hex2(tos)}`] : []),
      ...(transport !== t && transport.kind === "tcp" && t.kind === "tcp" && transport.flags !== t.flags ? [`TCP flags 0x${hex2(t.flags)} → 0x${hex2(transport.flags)}`] : []),
    ];
    return { kind: "continue", rewrite: (packet) => withHeader(packet, { tos, transport }), note: `ECN: ${changes.length === 0 ? "nothing to change" : changes.join(", ")}` };
  },
};
