/**
 * `-j RATEEST --rateest-name N --rateest-interval T --rateest-ewmalog T` (libxt_RATEEST,
 * kernel xt_RATEEST): feeds the packets to a named rate estimator that `-m rateest` reads.
 * Validated and printed as iptables-save prints it: the kernel keeps the interval as a
 * power of two of 250 ms and the averaging time as a power of two of intervals, so both
 * come back rounded. The estimate is not modelled; the target lets the packet go on.
 */
import type { Token } from "../../parse/syntax.js";
import type { ParseContext, TargetExtension } from "../types.js";
import { putString, strtod } from "../values.js";

/** IFNAMSIZ: the estimator's name field. */
const NAME_BYTES = 16;
const MICROSECONDS = 1_000_000;

export interface RateestTargetOptions {
  readonly name: string;
  /** The interval is 250 ms * 2^(interval + 2), interval from -2 to 3. */
  readonly interval: number;
  /** The averaging time is the interval * 2^ewmaLog, ewmaLog from 1 to 30. */
  readonly ewmaLog: number;
}

/** tc's time units, as RATEEST_get_time knows them (case-insensitive), in microseconds. */
const UNITS: ReadonlyMap<string, number> = new Map([
  ["", 1], // a bare number is microseconds
  ...["s", "sec", "secs"].map((u): [string, number] => [u, MICROSECONDS]),
  ...["ms", "msec", "msecs"].map((u): [string, number] => [u, 1000]),
  ...["us", "usec", "usecs"].map((u): [string, number] => [u, 1]),
]);

/** RATEEST_get_time: strtod, then a unit; the microseconds kept in an unsigned int. */
function microseconds(ctx: ParseContext, token: Token, what: string): number {
  const number = strtod(token.text);
  const scale = number && UNITS.get(number.rest.toLowerCase());
  if (!number || scale === undefined) ctx.fail(token, `RATEEST: bad ${what} value "${token.text}"`, "bad-value");
  const value = Math.trunc(number.value * scale!);
  if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 63) ctx.fail(token, `RATEEST: ${what} value "${token.text}" is out of range`, "bad-value");
  return Number(BigInt.asUintN(32, BigInt(value)));
}

/** RATEEST_print_time: seconds or milliseconds with one decimal, else microseconds. */
function formatTime(us: number): string {
  if (us >= MICROSECONDS) return `${(us / MICROSECONDS).toFixed(1)}s`;
  if (us >= 1000) return `${(us / 1000).toFixed(1)}ms`;
  return `${us}us`;
}

export const RATEEST: TargetExtension<RateestTargetOptions> = {
  kind: "target",
  name: "RATEEST",
  unmodelled: true,
  options: [
    { name: "rateest-name", args: 1 },
    { name: "rateest-interval", args: 1 },
    { name: "rateest-ewmalog", args: 1 },
  ],
  parse(uses, ctx) {
    const given = (option: string) => uses.find((u) => u.spec.name === option)?.args[0] ?? ctx.fail(ctx.at, `RATEEST needs --${option}`, "missing-option");
    const nameToken = given("rateest-name");
    const intervalToken = given("rateest-interval");
    const interval = microseconds(ctx, intervalToken, "interval");
    const ewma = microseconds(ctx, given("rateest-ewmalog"), "ewmalog");
    // RATEEST_final_check: the smallest 250 ms * 2^k (k up to 5) that holds the interval…
    const k = [0, 1, 2, 3, 4, 5].find((i) => interval <= 2 ** i * (MICROSECONDS / 4)) ?? ctx.fail(intervalToken, `RATEEST: interval "${intervalToken.text}" is too large (at most 8 s)`, "bad-value");
    // …and the first time constant interval / -ln(1 - 2^-e) beyond the averaging time, less one
    // (e = 31 never is: 1 << 31 overflows the int to a negative weight).
    const e = [...Array(30).keys()].map((i) => i + 1).find((i) => interval / -Math.log(1 - 1 / 2 ** i) > ewma) ?? 32;
    if (e - 1 === 0 || e - 1 >= 31) ctx.fail(ctx.at, `RATEEST: the ewmalog value is out of range for an interval of ${formatTime(interval)}`, "bad-value");
    return { name: putString(ctx, nameToken, NAME_BYTES, "--rateest-name"), interval: k - 2, ewmaLog: e - 1 };
  },
  save(o) {
    const interval = (MICROSECONDS * 2 ** (o.interval + 2)) / 4;
    // An unsigned int product in libxt_RATEEST: it wraps past 2^32.
    const ewma = (interval * 2 ** o.ewmaLog) % 2 ** 32;
    return ` --rateest-name ${o.name} --rateest-interval ${formatTime(interval)} --rateest-ewmalog ${formatTime(ewma)}`;
  },
};
