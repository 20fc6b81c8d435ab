/**
 * `-j TEE --gateway ADDR [--oif NAME]` (libxt_TEE, kernel xt_TEE): send a
 * copy of the packet to a gateway; the original goes on. Any table: xt_TEE
 * names none (iptables' own manual says mangle, but filter, nat, raw and
 * security load it too).
 */
import { formatAddress } from "../../packet/format.js";
import type { Address } from "../../packet/packet.js";
import type { TargetExtension } from "../types.js";
import { putString } from "../values.js";
import { parseHost } from "./host-option.js";

/** `char oif[16]` (IFNAMSIZ). */
const OIF_BYTES = 16;

export interface TeeOptions {
  readonly gateway: Address;
  /** Empty for none. */
  readonly oif: string;
}

export const TEE: TargetExtension<TeeOptions> = {
  kind: "target",
  name: "TEE",
  options: [
    { name: "gateway", args: 1 },
    { name: "oif", args: 1 },
  ],
  parse(uses, ctx) {
    const gateway = uses.find((u) => u.spec.name === "gateway")?.args[0] ?? ctx.fail(ctx.at, "TEE needs --gateway", "missing-option");
    const oif = uses.find((u) => u.spec.name === "oif")?.args[0];
    return { gateway: parseHost(ctx, gateway), oif: oif ? putString(ctx, oif, OIF_BYTES, "--oif") : "" };
  },
  save: (o) => ` --gateway ${formatAddress(o.gateway)}${o.oif === "" ? "" : ` --oif ${o.oif}`}`,
  // tee_tg4 / tee_tg6: nf_dup_ipv4/6 routes a clone to the gateway (the clone is not tracked and meets no rule of this hook); XT_CONTINUE.
  apply: (o) => ({ kind: "continue", note: `TEE: a copy of the packet is routed to ${formatAddress(o.gateway)}${o.oif === "" ? "" : ` out of ${o.oif}`}; the original goes on` }),
};
