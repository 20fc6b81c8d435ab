/**
 * `-j TCPMSS` (libxt_TCPMSS, kernel xt_TCPMSS): rewrite the MSS option of
 * TCP SYNs, to a value or to the path MTU. Needs `-p tcp`.
 */
import type { TargetExtension } from "../types.js";
import { parseUInt } from "../values.js";

/** The largest MSS that fits behind the minimal IP header (65535 − 20, or − 40 for IPv6). */
const MAX_MSS = { ipv4: 65535 - 20, ipv6: 65535 - 40 } as const;

/**
 * `clamp`: the path MTU minus headers (XT_TCPMSS_CLAMP_PMTU), which the kernel
 * allows only in FORWARD, OUTPUT and POSTROUTING.
 */
export type TcpmssOptions = { readonly kind: "set"; readonly mss: number } | { readonly kind: "clamp" };

const TCP = 6;

export const TCPMSS: TargetExtension<TcpmssOptions> = {
  kind: "target",
  name: "TCPMSS",
  // Clamping needs the route's MTU, which exists only once the packet is routed (tcpmss_tg4_check).
  hooks: (o) => (o.kind === "clamp" ? ["FORWARD", "OUTPUT", "POSTROUTING"] : undefined),
  options: [
    { name: "set-mss", args: 1 },
    { name: "clamp-mss-to-pmtu", args: 0 },
  ],
  parse(uses, ctx) {
    if (ctx.protocol?.value !== TCP || ctx.protocol.negated) ctx.fail(ctx.at, "TCPMSS needs -p tcp", "missing-protocol");
    // Both may be given; the later one wins, as both write the one mss field.
    const last = uses.at(-1) ?? ctx.fail(ctx.at, "TCPMSS needs --set-mss or --clamp-mss-to-pmtu", "missing-option");
    if (last.spec.name === "clamp-mss-to-pmtu") return { kind: "clamp" };
    return { kind: "set", mss: parseUInt(ctx, last.args[0]!, "--set-mss", 0, MAX_MSS[ctx.family]) };
  },
  save: (o) => (o.kind === "clamp" ? " --clamp-mss-to-pmtu" : ` --set-mss ${o.mss}`),
  /*
   * tcpmss_mangle_packet: only lowers an MSS option (never raises it); a SYN
   * without one gets one of at most 536 (RFC 879's default). The rule loads
   * only with a SYN match, so the packet is a SYN. XT_CONTINUE.
   */
  apply: (o) => ({
    kind: "continue",
    note: `TCPMSS: the SYN's MSS option is lowered to ${o.kind === "clamp" ? "the route's MTU minus the IP and TCP headers" : o.mss} if it is larger (or added, at most 536, if missing)`,
  }),
};
