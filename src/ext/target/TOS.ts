/**
 * `-j TOS` (libxt_TOS revision 1, kernel xt_DSCP's tos_tg / tos_tg6): the
 * TOS byte (IPv6 traffic class) becomes `(tos & ~mask) ^ value`. Every form
 * is saved as `--set-tos value/mask`. Mangle table only.
 */
import type { Token } from "../../parse/syntax.js";
import { withHeader } from "../../packet/packet.js";
import type { ParseContext, TargetExtension } from "../types.js";
import { parseCNumber, parseUInt } from "../values.js";
import { hex2 } from "./DSCP.js";
import { atMostOne } from "./exclusive.js";

/** tos_values.c: symbolic values (strcasecmp), with the mask revision 1 gives them (0x3f: the precedence bits stay). */
const TOS_SYMBOLS: ReadonlyMap<string, number> = new Map([
  ["minimize-delay", 0x10],
  ["maximize-throughput", 0x08],
  ["maximize-reliability", 0x04],
  ["minimize-cost", 0x02],
  ["normal-service", 0x00],
]);
const SYMBOL_MASK = 0x3f;

export interface TosOptions {
  readonly value: number;
  readonly mask: number;
}

export const TOS: TargetExtension<TosOptions> = {
  kind: "target",
  name: "TOS",
  options: ["set-tos", "and-tos", "or-tos", "xor-tos"].map((name) => ({ name, args: 1 })),
  tables: ["mangle"],
  parse(uses, ctx) {
    const use = atMostOne(ctx, uses, () => true) ?? ctx.fail(ctx.at, "TOS needs --set-tos, --and-tos, --or-tos or --xor-tos", "missing-option");
    const arg = use.args[0]!;
    const byte = () => parseUInt(ctx, arg, `--${use.spec.name}`, 0, 0xff);
    switch (use.spec.name) {
      case "set-tos":
        return parseTosMask(ctx, arg);
      case "and-tos":
        return { value: 0, mask: ~byte() & 0xff };
      case "or-tos": {
        const value = byte();
        return { value, mask: value };
      }
      default:
        return { value: byte(), mask: 0 };
    }
  },
  save: (o) => ` --set-tos 0x${hex2(o.value)}/0x${hex2(o.mask)}`,
  // tos_tg: nv = (orig & ~tos_mask) ^ tos_value; XT_CONTINUE.
  apply(o, env) {
    const tos = (env.packet.tos & ~o.mask & 0xff) ^ o.value;
    return { kind: "continue", rewrite: (packet) => withHeader(packet, { tos }), note: `TOS: TOS byte 0x${hex2(env.packet.tos)} → 0x${hex2(tos)}` };
  },
};

/**
 * libxtables' XTTYPE_TOSMASK: `value[/mask]`, numbers up to 255 (mask 0xff
 * when absent), or else a symbolic name (mask 0x3f).
 */
function parseTosMask(ctx: ParseContext, token: Token): TosOptions {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(.*)$/.exec(token.text);
  const value = m ? parseCNumber(m[1]!) : undefined;
  if (m && value !== undefined && value <= 0xffn) {
    const rest = m[2]!;
    if (rest === "") return { value: Number(value), mask: 0xff };
    const mask = rest.startsWith("/") ? parseCNumber(rest.slice(1)) : undefined;
    if (mask === undefined || mask > 0xffn) ctx.fail(token, `illegal TOS value "${token.text}"`, "bad-value");
    return { value: Number(value), mask: Number(mask) };
  }
  const symbol = TOS_SYMBOLS.get(token.text.toLowerCase());
  if (symbol === undefined) ctx.fail(token, `symbolic TOS name "${token.text}" is unknown`, "bad-value");
  return { value: symbol, mask: SYMBOL_MASK };
}
