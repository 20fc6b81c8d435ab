/**
 * `-j HMARK --hmark-tuple … --hmark-mod N --hmark-rnd R …` (libxt_HMARK, kernel xt_HMARK):
 * set the packet mark to a hash of chosen header fields, modulo N, plus an offset.
 * Validated and printed as iptables-save prints it; the hash (jhash with the given seed)
 * is not modelled, so the mark it sets counts as unknown.
 */
import type { OptionUse, ParseContext, TargetExtension } from "../types.js";
import { parsePrefixLength, parseUInt } from "../values.js";

type Field = "srcPrefix" | "dstPrefix" | "sportMask" | "dportMask" | "spiMask" | "sport" | "dport" | "spi" | "protoMask" | "rnd" | "mod" | "offset";

export interface HmarkOptions {
  /** The fields set, by --hmark-* options or --hmark-tuple. */
  readonly values: Readonly<Partial<Record<Field, number>>>;
  /** --hmark-tuple ct: hash the connection's original tuple. */
  readonly ct: boolean;
}

/** Each numeric option: its field and its largest value (the prefixes are the family's). */
const NUMBERS: ReadonlyMap<string, readonly [Field, number]> = new Map([
  ["hmark-sport-mask", ["sportMask", 0xffff]],
  ["hmark-dport-mask", ["dportMask", 0xffff]],
  ["hmark-spi-mask", ["spiMask", 0xffffffff]],
  ["hmark-sport", ["sport", 0xffff]],
  ["hmark-dport", ["dport", 0xffff]],
  ["hmark-spi", ["spi", 0xffffffff]],
  ["hmark-proto-mask", ["protoMask", 0xffff]],
  ["hmark-rnd", ["rnd", 0xffffffff]],
  ["hmark-mod", ["mod", 0xffffffff]],
  ["hmark-offset", ["offset", 0xffffffff]],
]);

/** hmark_parse's words, tried in this order; a word may be any leading part of one (strncasecmp). */
const TUPLE_WORDS = ["ct", "src", "dst", "sport", "dport", "proto", "spi"] as const;
/** The fields that choose what is hashed (HMARK_OPT_PKT_MASK). */
const PACKET_FIELDS: readonly Field[] = ["srcPrefix", "dstPrefix", "sportMask", "dportMask", "spiMask", "protoMask"];

function applyTuple(ctx: ParseContext, use: OptionUse, values: Partial<Record<Field, number>>, full: number): boolean {
  const arg = use.args[0]!;
  let ct = false;
  for (const word of arg.text.split(",")) {
    const kind = word === "" ? undefined : TUPLE_WORDS.find((k) => k.startsWith(word.toLowerCase()));
    if (kind === undefined) ctx.fail(arg, `--hmark-tuple "${arg.text}": "${word}" is none of ${TUPLE_WORDS.join(", ")}`, "bad-value");
    if (kind === "ct") ct = true;
    else if (kind === "src") values.srcPrefix = full;
    else if (kind === "dst") values.dstPrefix = full;
    else if (kind === "sport") values.sportMask = 0xffff;
    else if (kind === "dport") values.dportMask = 0xffff;
    else if (kind === "proto") values.protoMask = 0xffff;
    else values.spiMask = 0xffffffff;
  }
  return ct;
}

export const HMARK: TargetExtension<HmarkOptions> = {
  kind: "target",
  name: "HMARK",
  unmodelled: true,
  options: [{ name: "hmark-tuple", args: 1 }, { name: "hmark-src-prefix", args: 1 }, { name: "hmark-dst-prefix", args: 1 }, ...[...NUMBERS.keys()].map((name) => ({ name, args: 1 as const }))],
  parse(uses, ctx) {
    const full = ctx.family === "ipv4" ? 32 : 128;
    const values: Partial<Record<Field, number>> = {};
    let ct = false;
    // In the order given: a later option overwrites what --hmark-tuple set, and the other way round.
    for (const use of uses) {
      const arg = use.args[0]!;
      const number = NUMBERS.get(use.spec.name);
      if (use.spec.name === "hmark-tuple") ct = applyTuple(ctx, use, values, full) || ct;
      else if (number) values[number[0]] = parseUInt(ctx, arg, `--${use.spec.name}`, number[0] === "mod" ? 1 : 0, number[1]);
      else {
        const prefix = parsePrefixLength(ctx, arg, arg.text, ctx.family);
        values[use.spec.name === "hmark-src-prefix" ? "srcPrefix" : "dstPrefix"] = prefix === 255 ? full : prefix;
      }
    }
    if (values.mod === undefined) ctx.fail(ctx.at, "HMARK needs --hmark-mod", "missing-option");
    if (values.rnd === undefined) ctx.fail(ctx.at, "HMARK needs --hmark-rnd", "missing-option");
    if (values.spiMask !== undefined && (values.sportMask !== undefined || values.dportMask !== undefined)) {
      ctx.fail(ctx.at, "HMARK cannot hash the SPI (--hmark-spi-mask, --hmark-tuple spi) and ports (--hmark-?port-mask) at once", "conflicting-options");
    }
    if (!ct && !PACKET_FIELDS.some((f) => values[f] !== undefined)) ctx.fail(ctx.at, "HMARK needs --hmark-tuple (or a --hmark-*-prefix/-mask) to know what to hash", "missing-option");
    return { values, ct };
  },
  save(o) {
    const v = o.values;
    const hex = (value: number | undefined, digits: number) => (value === undefined ? undefined : "0x" + value.toString(16).padStart(digits, "0"));
    const parts: [string, string | number | undefined][] = [
      ["src-prefix", v.srcPrefix],
      ["dst-prefix", v.dstPrefix],
      ["sport-mask", hex(v.sportMask, 4)],
      ["dport-mask", hex(v.dportMask, 4)],
      ["spi-mask", hex(v.spiMask, 8)],
      ["sport", hex(v.sport, 4)],
      ["dport", hex(v.dport, 4)],
      ["spi", hex(v.spi, 8)],
      ["proto-mask", hex(v.protoMask, 2)],
      ["rnd", hex(v.rnd, 8)],
      ["mod", v.mod],
      ["offset", v.offset],
    ];
    return parts.map(([name, value]) => (value === undefined ? "" : ` --hmark-${name} ${value}`)).join("") + (o.ct ? " --hmark-tuple ct" : "");
  },
};
