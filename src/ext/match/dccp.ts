/**
 * `-m dccp` (iptables libxt_dccp, kernel xt_dccp): source and destination
 * port ranges, the DCCP packet type and a DCCP option.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { parseUInt } from "../values.js";
import { portMatch } from "./ports.js";
import { requireProtocol } from "./protocol.js";
import { savePortRange } from "./sctp.js";
import type { PortMatch } from "./ports.js";
import { portMatches } from "./tcp.js";

/** dccp_pkt_types[]: a type's bit is 1 << its index (DCCP_PKT_*). */
const DCCP_TYPES = ["REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE", "RESET", "SYNC", "SYNCACK", "INVALID"] as const;

export interface DccpOptions {
  readonly sport?: PortMatch;
  readonly dport?: PortMatch;
  /** Bit set over DCCP_TYPES. */
  readonly types?: { readonly mask: number; readonly negated: boolean };
  readonly option?: { readonly kind: number; readonly negated: boolean };
}

/** parse_dccp_types: a comma list of type names in any case. */
function parseTypes(ctx: ParseContext, token: Token): number {
  let mask = 0;
  for (const word of token.text.split(",")) {
    // biome-ignore lint/complexity/useIndexOf: DCCP_TYPES holds literal names, which indexOf would not take a string for
    const index = DCCP_TYPES.findIndex((t) => t === word.toUpperCase());
    if (index === -1) ctx.fail(token, `unknown DCCP type "${word}"`, "bad-value");
    mask |= 1 << index;
  }
  return mask;
}

const IPPROTO_DCCP = 33;

export const dccp: MatchExtension<DccpOptions> = {
  kind: "match",
  name: "dccp",
  options: [
    { name: "source-port", aliases: ["sport"], args: 1, invertible: true },
    { name: "destination-port", aliases: ["dport"], args: 1, invertible: true },
    { name: "dccp-types", args: 1, invertible: true },
    { name: "dccp-option", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    requireProtocol(ctx, IPPROTO_DCCP, "dccp");
    let options: DccpOptions = {};
    for (const use of uses) {
      const token = use.args[0]!;
      switch (use.spec.name) {
        case "source-port":
          options = { ...options, sport: portMatch(ctx, use) };
          break;
        case "destination-port":
          options = { ...options, dport: portMatch(ctx, use) };
          break;
        case "dccp-types":
          options = { ...options, types: { mask: parseTypes(ctx, token), negated: use.invert } };
          break;
        case "dccp-option":
          options = { ...options, option: { kind: parseUInt(ctx, token, "DCCP option", 1, 255), negated: use.invert } };
          break;
      }
    }
    return options;
  },
  save(o) {
    let text = savePortRange("sport", o.sport) + savePortRange("dport", o.dport);
    if (o.types) text += `${o.types.negated ? " !" : ""} --dccp-types ${DCCP_TYPES.filter((_, i) => o.types!.mask & (1 << i)).join(",")}`;
    if (o.option) text += `${o.option.negated ? " !" : ""} --dccp-option ${o.option.kind}`;
    return text;
  },
  /** dccp_mt: ports, then the packet type and options (which a described packet does not carry); later fragments never match. */
  match(o, env) {
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || t.kind !== "dccp") return false;
    if (!portMatches(o.sport, t.sport) || !portMatches(o.dport, t.dport)) return false;
    if (o.types) return { unknown: "--dccp-types looks at the DCCP packet type, which the packet description does not carry" };
    if (o.option) return { unknown: "--dccp-option looks at DCCP options, which the packet description does not carry" };
    return true;
  },
};
