/**
 * `-j TPROXY --on-port PORT [--on-ip ADDR] [--tproxy-mark VALUE[/MASK]]`
 * (libxt_TPROXY revision 1, kernel xt_TPROXY): hand the packet to a local
 * socket without changing its header. Mangle PREROUTING, TCP or UDP only.
 */
import { formatAddress } from "../../packet/format.js";
import type { Address } from "../../packet/packet.js";
import type { TargetExtension } from "../types.js";
import { hex, parsePort, parseValueMask, protocolName, type ValueMask } from "../values.js";
import { parseHost } from "./host-option.js";

export interface TproxyOptions {
  readonly port: number;
  /** 0.0.0.0 / ::: the address of the interface the packet came in on. */
  readonly address: Address;
  /** Applied to the mark as MARK does, when a socket is found. */
  readonly mark: ValueMask;
}

const TCP = 6;
const UDP = 17;

export const TPROXY: TargetExtension<TproxyOptions> = {
  kind: "target",
  name: "TPROXY",
  defragments: true,
  options: [
    { name: "on-port", args: 1 },
    { name: "on-ip", args: 1 },
    { name: "tproxy-mark", args: 1 },
  ],
  tables: ["mangle"],
  hooks: () => ["PREROUTING"],
  parse(uses, ctx) {
    // tproxy_tg4_check: a rule for TCP or UDP (not negated).
    const protocol = ctx.protocol;
    if (!protocol || protocol.negated || (protocol.value !== TCP && protocol.value !== UDP)) return ctx.fail(ctx.at, "TPROXY needs -p tcp or -p udp", "missing-protocol");
    const arg = (name: string) => uses.find((u) => u.spec.name === name)?.args[0];
    const port = arg("on-port") ?? ctx.fail(ctx.at, "TPROXY needs --on-port", "missing-option");
    const ip = arg("on-ip");
    const mark = arg("tproxy-mark");
    return {
      port: parsePort(ctx, port, port.text, protocolName(protocol.value)),
      address: ip ? parseHost(ctx, ip) : ctx.family === "ipv4" ? { family: "ipv4", value: 0 } : { family: "ipv6", value: 0n },
      mark: mark ? parseValueMask(ctx, mark, "--tproxy-mark") : { value: 0, mask: 0 },
    };
  },
  save: (o) => ` --on-port ${o.port} --on-ip ${formatAddress(o.address)} --tproxy-mark ${hex(o.mark.value)}/${hex(o.mark.mask)}`,
  /*
   * tproxy_tg4 / tproxy_tg6_v1: an established socket of the packet's flow,
   * or for a SYN (or UDP) a socket listening with IP_TRANSPARENT on
   * on-ip:on-port, gets the packet: the mark is changed, the socket assigned,
   * NF_ACCEPT, and policy routing (fwmark → local table) delivers it. No
   * socket: NF_DROP. The effects cannot say "delivered to a socket, if one
   * exists", so the outcome is unknown.
   */
  apply: (o) => ({
    kind: "unknown",
    reason: `TPROXY delivers the packet to a local socket on ${formatAddress(o.address)}:${o.port} (mark set with ${hex(o.mark.value)}/${hex(o.mark.mask)}) if one listens with IP_TRANSPARENT, and drops it otherwise; nfwalk cannot know the host's sockets`,
  }),
};
