/**
 * `-m rateest` (libxt_rateest, kernel xt_rateest): compares the rate a RATEEST target
 * estimates with a given rate (absolute) or with another estimator's (relative), in bits or
 * packets per second. Validated and printed as iptables-save prints it (rates with a unit
 * come back in bit, Kbit or Mbit); the estimators' rates are not modelled.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { parseUInt, putString, strtod } from "../values.js";

/** IFNAMSIZ: the estimator's name field. */
const NAME_BYTES = 16;
type Mode = "lt" | "gt" | "eq";

export interface RateestOptions {
  readonly delta: boolean;
  readonly name1: string;
  /** The second estimator: a relative comparison. */
  readonly name2: string | undefined;
  /** Byte rates (bps) and packet rates (pps) compared, when chosen: [first, second]. */
  readonly bps: readonly [number, number] | undefined;
  readonly pps: readonly [number, number] | undefined;
  readonly mode: Mode;
  readonly inverted: boolean;
}

/** tc's units, as rateest_get_rate knows them (case-insensitive), in bits per second. */
const UNITS: ReadonlyMap<string, number> = new Map([
  ["bit", 1],
  ["kibit", 1024],
  ["kbit", 1000],
  ["mibit", 1024 ** 2],
  ["mbit", 1e6],
  ["gibit", 1024 ** 3],
  ["gbit", 1e9],
  ["tibit", 1024 ** 4],
  ["tbit", 1e12],
  ["bps", 8],
  ["kibps", 8 * 1024],
  ["kbps", 8000],
  ["mibps", 8 * 1024 ** 2],
  ["mbps", 8e6],
  ["gibps", 8 * 1024 ** 3],
  ["gbps", 8e9],
  ["tibps", 8 * 1024 ** 4],
  ["tbps", 8e12],
]);

/** rateest_get_rate: strtod, then a unit (none: bits); stored as bytes per second in a u32. */
function byteRate(ctx: ParseContext, token: Token): number {
  const number = strtod(token.text);
  const scale = number && (number.rest === "" ? 1 : UNITS.get(number.rest.toLowerCase()));
  if (!number || scale === undefined) ctx.fail(token, `rateest: could not parse rate "${token.text}"`, "bad-value");
  return Math.trunc((number.value * scale!) / 8) >>> 0;
}

/** rateest_print_rate: the byte rate in bits, as Mbit from 10^9, Kbit from 10^6. */
function formatRate(rate: number): string {
  const bits = rate * 8;
  if (bits >= 1e9) return ` ${printf0(bits / 1e6)}Mbit`;
  if (bits >= 1e6) return ` ${printf0(bits / 1e3)}Kbit`;
  return ` ${bits}bit`;
}

/** printf("%.0f"): the nearest whole number, halves to even. */
function printf0(x: number): string {
  const floor = Math.floor(x);
  const rest = x - floor;
  return String(rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor);
}

const RATE_OPTIONS = ["rateest-bps1", "rateest-pps1", "rateest-bps2", "rateest-pps2"] as const;

export const rateest: MatchExtension<RateestOptions> = {
  kind: "match",
  name: "rateest",
  unmodelled: true,
  options: [
    { name: "rateest1", aliases: ["rateest"], args: 1 },
    { name: "rateest2", args: 1 },
    { name: "rateest-bps1", args: 0, optionalArg: true },
    { name: "rateest-pps1", args: 0, optionalArg: true },
    { name: "rateest-bps2", aliases: ["rateest-bps"], args: 0, optionalArg: true },
    { name: "rateest-pps2", aliases: ["rateest-pps"], args: 0, optionalArg: true },
    { name: "rateest-delta", args: 0 },
    { name: "rateest-lt", args: 0, invertible: true },
    { name: "rateest-gt", args: 0, invertible: true },
    { name: "rateest-eq", args: 0, invertible: true },
  ],
  parse(uses, ctx) {
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const name = (use: OptionUse | undefined) => use && putString(ctx, use.args[0]!, NAME_BYTES, `--${use.spec.name}`);
    const name1 = name(given("rateest1")) ?? ctx.fail(ctx.at, "-m rateest needs --rateest NAME (or --rateest1)", "missing-option");
    // The last of --rateest-lt/-gt/-eq counts, as rateest_parse sets the mode each time.
    const modeUse = uses.filter((u) => /^rateest-(lt|gt|eq)$/.test(u.spec.name)).at(-1) ?? ctx.fail(ctx.at, "-m rateest needs --rateest-lt, --rateest-gt or --rateest-eq", "missing-option");
    const [bps1, pps1, bps2, pps2] = RATE_OPTIONS.map((option) => {
      const use = given(option);
      const arg = use?.args[0];
      if (!use) return undefined;
      if (!arg) return 0;
      return option.includes("bps") ? byteRate(ctx, arg) : parseUInt(ctx, arg, `--${option}`, 0, 0xffffffff);
    });
    const bps = bps1 !== undefined || bps2 !== undefined ? ([bps1 ?? 0, bps2 ?? 0] as const) : undefined;
    const pps = pps1 !== undefined || pps2 !== undefined ? ([pps1 ?? 0, pps2 ?? 0] as const) : undefined;
    // xt_rateest_mt_checkentry: something to compare.
    if (!bps && !pps) ctx.fail(ctx.at, "-m rateest needs --rateest-bps or --rateest-pps", "missing-option");
    return { delta: given("rateest-delta") !== undefined, name1, name2: name(given("rateest2")), bps, pps, mode: modeUse.spec.name.slice(-2) as Mode, inverted: modeUse.invert };
  },
  save(o) {
    const absolute = o.name2 === undefined;
    const mode = `${o.inverted ? " !" : ""} --rateest-${o.mode}`;
    const rates = (unit: "bps" | "pps", [r1, r2]: readonly [number, number]) => {
      const rate = (r: number) => (unit === "bps" ? formatRate(r) : ` ${r}`);
      const head = o.delta ? ` --rateest-${unit}1${rate(r1)}${mode} --rateest-${unit}2` : `${mode} --rateest-${unit}`;
      return head + (absolute || o.delta ? rate(r2) : "");
    };
    return (
      (o.delta ? " --rateest-delta" : "") +
      (absolute ? ` --rateest ${o.name1}` : ` --rateest1 ${o.name1}`) +
      (o.bps ? rates("bps", o.bps) : "") +
      (o.pps ? rates("pps", o.pps) : "") +
      (absolute ? "" : ` --rateest2 ${o.name2}`)
    );
  },
};
