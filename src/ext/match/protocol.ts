/** The `-p` a protocol match needs. */
import type { ParseContext } from "../types.js";

/**
 * The kernel's checkentry for a match bound to one protocol (xt_check_match):
 * the rule's `-p` must be that protocol, un-negated. iptables-nft checks
 * udp and tcp matches it turns into native expressions itself, and lets
 * `! -p` through there (`negationAllowed`).
 */
export function requireProtocol(ctx: ParseContext, protocol: number, match: string, negationAllowed = false): void {
  if (ctx.protocol?.value !== protocol || (ctx.protocol.negated && !negationAllowed)) {
    ctx.fail(ctx.at, `the ${match} match needs -p ${match === "icmp6" ? "ipv6-icmp" : match}${ctx.protocol?.negated ? " (not negated)" : ""}`, "missing-protocol");
  }
}
