/** libxtables' XTTYPE_HOST for targets (TEE --gateway, TPROXY --on-ip): one numeric address of the rule's family. */
import { parseIPv6 } from "../../model/address.js";
import type { Token } from "../../parse/syntax.js";
import type { Address } from "../../packet/packet.js";
import type { ParseContext } from "../types.js";
import { inetAton } from "../values.js";

/** getaddrinfo on a number: inet_aton's forms for IPv4 (`10.1` is 10.0.0.1), inet_pton for IPv6. */
export function parseHost(ctx: ParseContext, token: Token): Address {
  if (ctx.family === "ipv4") {
    const value = inetAton(token.text) ?? ctx.fail(token, `host "${token.text}" is not an IPv4 address`, "bad-address");
    return { family: "ipv4", value };
  }
  const value = parseIPv6(token.text) ?? ctx.fail(token, `host "${token.text}" is not an IPv6 address`, "bad-address");
  return { family: "ipv6", value };
}
