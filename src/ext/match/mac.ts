/**
 * `-m mac --mac-source ADDR` (iptables libxt_mac, kernel xt_mac): the
 * Ethernet source address of a received packet.
 */
import type { Hook } from "../../model/types.js";
import type { MatchExtension } from "../types.js";

export interface MacOptions {
  /**
   * Six octets; undefined for the placeholder `XX:XX:XX:XX:XX:XX` that
   * published dumps put where they censored an address (iptables would
   * refuse it; nfwalk loads it so the rest of the dump can be studied).
   */
  readonly source: readonly number[] | undefined;
  readonly negated: boolean;
}

/** Only received packets carry a link-layer source (xt_mac's hook mask). */
const MAC_HOOKS: readonly Hook[] = ["PREROUTING", "INPUT", "FORWARD"];
const CENSORED = "XX:XX:XX:XX:XX:XX";

export const mac: MatchExtension<MacOptions> = {
  kind: "match",
  name: "mac",
  options: [{ name: "mac-source", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m mac needs --mac-source", "missing-option");
    const token = use.args[0]!;
    if (token.text === CENSORED) {
      ctx.warn(token, `"${CENSORED}" is a censored MAC address: iptables would refuse it, and nfwalk cannot tell whether it matches`, "censored-mac");
      return { source: undefined, negated: use.invert };
    }
    if (!/^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(token.text)) ctx.fail(token, `invalid MAC address "${token.text}"`, "bad-value");
    return { source: token.text.split(":").map((octet) => parseInt(octet, 16)), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --mac-source ${o.source?.map((b) => b.toString(16).padStart(2, "0")).join(":") ?? CENSORED}`,
  unrepeatable: (o) => o.source === undefined,
  hooks: () => MAC_HOOKS,
  /** mac_mt: the Ethernet source of the received frame; a loopback packet has no Ethernet header and never matches. */
  match(o, env) {
    if (env.inInterface === "lo") return false;
    if (o.source === undefined) return { unknown: "the rule's MAC address was censored in the dump" };
    if (env.sourceMac === undefined) return { unknown: "the packet description does not say which MAC address the frame came from" };
    const octets = env.sourceMac.split(":").map((octet) => parseInt(octet, 16));
    return o.source.every((b, i) => b === octets[i]) !== o.negated;
  },
};
