/**
 * `-m ipv6header --header LIST [--soft]` (iptables libip6t_ipv6header,
 * kernel ip6t_ipv6header): which extension headers the IPv6 packet has,
 * exactly (default) or at least (`--soft`).
 */
import type { Token } from "../../parse/syntax.js";
import { PROTOCOL_TABLE } from "../data/protocols.js";
import type { MatchExtension, ParseContext } from "../types.js";

/** chain_flags: [protocol, MASK_* bit, the name iptables-save prints], in print order. */
const HEADERS: readonly (readonly [number, number, string])[] = [
  [0, 0x80, "hop-by-hop"],
  [60, 0x40, "ipv6-opts"],
  [43, 0x20, "ipv6-route"],
  [44, 0x10, "ipv6-frag"],
  [51, 0x08, "ah"],
  [50, 0x04, "esp"],
  [59, 0x02, "ipv6-nonxt"],
  [255, 0x01, "protocol"],
];
/** chain_protos: libip6t_ipv6header's own names, tried after getprotobyname. */
const OWN_NAMES: ReadonlyMap<string, number> = new Map([
  ["hop-by-hop", 0],
  ["protocol", 255],
  ["hop", 0],
  ["dst", 60],
  ["route", 43],
  ["frag", 44],
  ["auth", 51],
  ["esp", 50],
  ["none", 59],
  ["prot", 255],
  ["0", 0],
  ["60", 60],
  ["43", 43],
  ["44", 44],
  ["51", 51],
  ["50", 50],
  ["59", 59],
  ["255", 255],
]);
const MASK_FRAGMENT = 0x10;
const MASK_ESP = 0x04;
const MASK_NONE = 0x02;
const MASK_PROTO = 0x01;

export interface Ipv6headerOptions {
  /** Bit set of MASK_* header bits. */
  readonly headers: number;
  readonly negated: boolean;
  readonly soft: boolean;
}

/** name_to_proto (getprotobyname, case-sensitive, then chain_protos) and add_proto_to_mask. */
function parseHeaders(ctx: ParseContext, token: Token): number {
  let mask = 0;
  for (const name of token.text.split(",").filter((n) => n !== "")) {
    const protocol = PROTOCOL_TABLE.find(([n, , aliases]) => n === name || aliases.includes(name))?.[1] ?? OWN_NAMES.get(name);
    if (protocol === undefined) ctx.fail(token, `unknown header "${name}"`, "bad-value");
    const header = HEADERS.find(([p]) => p === protocol) ?? ctx.fail(token, `protocol ${protocol} is not an IPv6 extension header`, "bad-value");
    mask |= header[1];
  }
  if (mask === 0) ctx.fail(token, "--header needs at least one header", "bad-value");
  return mask;
}

export const ipv6header: MatchExtension<Ipv6headerOptions> = {
  kind: "match",
  name: "ipv6header",
  families: ["ipv6"],
  options: [
    { name: "header", args: 1, invertible: true },
    { name: "soft", args: 0 },
  ],
  parse(uses, ctx) {
    const header = uses.find((u) => u.spec.name === "header") ?? ctx.fail(ctx.at, "-m ipv6header needs --header", "missing-option");
    return { headers: parseHeaders(ctx, header.args[0]!), negated: header.invert, soft: uses.some((u) => u.spec.name === "soft") };
  },
  save: (o) =>
    `${o.negated ? " !" : ""} --header ${HEADERS.filter(([, bit]) => o.headers & bit)
      .map(([, , name]) => name)
      .join(",")}${o.soft ? " --soft" : ""}`,
  /**
   * ipv6header_mt6 on a described packet: no extension headers but a fragment header
   * when it is a fragment; ESP and "no next header" end the chain, AH hides what follows.
   */
  match(o, env) {
    const p = env.packet;
    let present = p.fragmentOffset !== 0 || p.moreFragments ? MASK_FRAGMENT : 0;
    if (p.protocol === 51) return { unknown: "the packet description does not say which headers follow its AH header" };
    present |= p.protocol === 50 ? MASK_ESP : p.protocol === 59 ? MASK_NONE : MASK_PROTO;
    if (o.soft) return ((present ^ o.headers ^ (o.negated ? 0xff : 0)) & o.headers) === 0;
    return (present === o.headers) !== o.negated;
  },
};
