/**
 * libxtables' XTTYPE_HOST (TEE --gateway, TPROXY --on-ip): one numeric address of the
 * rule's family; and XTTYPE_HOSTMASK (ipvs --vaddr, SNPT/DNPT prefixes): one with a prefix.
 */
import { parseIPv6 } from "../../model/address.js";
import type { Token } from "../../parse/syntax.js";
import type { Address } from "../../packet/packet.js";
import type { ParseContext } from "../types.js";
import { inetAton, parsePrefixLength } from "../values.js";

/** getaddrinfo on a number: inet_aton's forms for IPv4 (`10.1` is 10.0.0.1), inet_pton for IPv6. */
export function parseHost(ctx: ParseContext, token: Token): Address {
  if (ctx.family === "ipv4") {
    const value = inetAton(token.text) ?? ctx.fail(token, `host "${token.text}" is not an IPv4 address`, "bad-address");
    return { family: "ipv4", value };
  }
  const value = parseIPv6(token.text) ?? ctx.fail(token, `host "${token.text}" is not an IPv6 address`, "bad-address");
  return { family: "ipv6", value };
}

/** `ADDRESS[/LENGTH|/MASK]`, the address kept as written (not cut to its prefix). */
export interface HostMask {
  readonly address: Address;
  /** The prefix length; the whole address without a `/`, and for a mask that is not contiguous. */
  readonly prefix: number;
}

export function parseHostMask(ctx: ParseContext, token: Token): HostMask {
  const slash = token.text.indexOf("/");
  const full = ctx.family === "ipv4" ? 32 : 128;
  const address = parseHost(ctx, slash === -1 ? token : { ...token, text: token.text.slice(0, slash) });
  if (slash === -1) return { address, prefix: full };
  const prefix = parsePrefixLength(ctx, token, token.text.slice(slash + 1), ctx.family);
  return { address, prefix: prefix === 255 ? full : prefix };
}
