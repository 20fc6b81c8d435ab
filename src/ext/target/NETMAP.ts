/**
 * `-j NETMAP --to address[/mask]` (libipt_NETMAP / libip6t_NETMAP, kernel
 * xt_NETMAP): map a whole network onto another, keeping the host part.
 */
import type { Token } from "../../parse/syntax.js";
import { formatCidr, parseCidr, parseIPv4, parseIPv6, prefixLength } from "../../model/address.js";
import type { Cidr } from "../../model/types.js";
import type { ParseContext, TargetExtension } from "../types.js";
import type { NatAddressRange } from "../semantics.js";
import { parseCNumber } from "../values.js";

export interface NetmapOptions {
  /** The network mapped to; the kernel keeps its masked address and the mask. */
  readonly to: Cidr;
}

export const NETMAP: TargetExtension<NetmapOptions> = {
  kind: "target",
  name: "NETMAP",
  tracksConnections: () => true,
  options: [{ name: "to", args: 1 }],
  tables: ["nat"],
  parse(uses, ctx) {
    const arg = uses[0]?.args[0] ?? ctx.fail(ctx.at, "NETMAP needs --to address[/mask]", "missing-option");
    return { to: parseNetwork(ctx, arg) };
  },
  save: (o) => ` --to ${formatCidr(o.to)}`,
  apply(o) {
    // The network's own address: the engine keeps the packet's host part under the prefix.
    const addresses = { family: o.to.family, min: o.to.address, max: o.to.address } as NatAddressRange;
    const range = { addresses, random: false, randomFully: false, persistent: false };
    return { kind: "nat", request: { kind: "netmap", range, netmapPrefix: prefixLength(o.to) ?? (o.to.family === "ipv4" ? 32 : 128) } };
  },
};

/**
 * libxtables' XTTYPE_HOSTMASK: a prefix length, or a mask written as an
 * address; a mask with holes cannot be turned into a length and ends up as
 * the host mask (/32, /128) — iptables' own quirk, kept.
 */
function parseNetwork(ctx: ParseContext, token: Token): Cidr {
  const [addressText, maskText] = token.text.split("/", 2) as [string, string | undefined];
  const bits = ctx.family === "ipv4" ? 32 : 128;
  const host = parseCidr(addressText, ctx.family);
  if (typeof host === "string") ctx.fail(token, host, "bad-address");
  if (maskText === undefined) return host;
  const length = /^[0-9]+$/.test(maskText) && Number(maskText) <= bits ? Number(maskText) : maskLength(maskText, ctx);
  if (length === undefined) ctx.fail(token, `"${maskText}" is neither a prefix length (0-${bits}) nor a network mask`, "bad-address");
  return parseCidr(`${addressText}/${length}`, ctx.family) as Cidr;
}

/** A mask in address form (getaddrinfo, which also reads IPv4 as one number) as a prefix length; holes give the host mask. */
function maskLength(text: string, ctx: ParseContext): number | undefined {
  if (ctx.family === "ipv4") {
    const number = parseCNumber(text);
    const mask = parseIPv4(text) ?? (number !== undefined && number <= 0xffffffffn ? Number(number) : undefined);
    return mask === undefined ? undefined : (prefixLength({ family: "ipv4", address: 0, mask }) ?? 32);
  }
  const mask = parseIPv6(text);
  return mask === undefined ? undefined : (prefixLength({ family: "ipv6", address: 0n, mask }) ?? 128);
}
