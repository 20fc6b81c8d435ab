/**
 * `-m tos --tos VALUE[/MASK]` (iptables libxt_tos revision 1, kernel
 * xt_dscp's tos_mt): the TOS byte (IPv6: traffic class) under the mask
 * equals VALUE. A symbolic name means its value under the mask 0x3f.
 */
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
import { parseCNumber } from "../values.js";

/** xtopt_tos_symbols: matched in any case. */
const TOS_SYMBOLS: readonly (readonly [string, number])[] = [
  ["Minimize-Cost", 0x02],
  ["Maximize-Reliability", 0x04],
  ["Maximize-Throughput", 0x08],
  ["Minimize-Delay", 0x10],
  ["Normal-Service", 0x00],
];
const SYMBOL_MASK = 0x3f;

export interface TosOptions {
  readonly value: number;
  readonly mask: number;
  readonly negated: boolean;
}

const byte = (text: string) => {
  const n = parseCNumber(text);
  return n !== undefined && n <= 255n ? Number(n) : undefined;
};
const hex2 = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

export const tos: MatchExtension<TosOptions> = {
  kind: "match",
  name: "tos",
  options: [{ name: "tos", args: 1, invertible: true }],
  /** xtopt_parse_tosmask: a number up to 255 with an optional /mask (default 0xff), else a symbolic name. */
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m tos needs --tos", "missing-option");
    const token = use.args[0]!;
    const [valueText = "", maskText] = token.text.split(/\/(.*)/s, 2);
    const value = byte(valueText);
    if (value !== undefined) {
      const mask = maskText === undefined ? 0xff : (byte(maskText) ?? ctx.fail(token, `illegal TOS mask in "${token.text}"`, "bad-value"));
      return { value, mask, negated: use.invert };
    }
    const symbol = TOS_SYMBOLS.find(([name]) => name.toLowerCase() === token.text.toLowerCase()) ?? ctx.fail(token, `unknown TOS name "${token.text}"`, "bad-value");
    return { value: symbol[1], mask: SYMBOL_MASK, negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --tos ${hex2(o.value)}/${hex2(o.mask)}`,
  /** tos_mt: (tos & mask) == value, inverted by `!`. */
  match: (o, env) => ((env.packet.tos & o.mask) === o.value) !== o.negated,
  /** A set flow's packets share one TOS byte. */
  matchSet: (o, env) => whole(tos.match!(o, env.concrete)),
};
