/**
 * `-m statistic` (libxt_statistic, kernel xt_statistic). `--mode random` is
 * a coin toss whose odds the trace reports (kube-proxy spreads a service over
 * its endpoints so); `--mode nth` counts the rule's packets, which nfwalk
 * does not know.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchResult } from "../semantics.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { parseKeyword, parseUInt, SharedValues } from "../values.js";

/** The kernel compares 31 random bits with the probability scaled to 2^31. */
const SCALE = 0x80000000;
const DIGITS = 11;

export type StatisticOptions =
  | {
      readonly mode: "random";
      readonly negated: boolean;
      /** lround(p × 2^31), as the kernel keeps it: 0x80000000 is certainty. */
      readonly probability: number;
    }
  | {
      readonly mode: "nth";
      readonly negated: boolean;
      /** The period n as written (the kernel keeps n - 1). */
      readonly every: number;
      /** Which packet of each period matches, 0 ≤ packet < every. */
      readonly packet: number;
    };

/** strtod over the whole word, decimal or C99 hex float; undefined when it is not a number. */
function parseCDouble(text: string): number | undefined {
  const decimal = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.exec(text);
  if (decimal) return Number(text);
  const hexFloat = /^\s*([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(text);
  if (!hexFloat || hexFloat[2]! + hexFloat[3]! === "") return undefined;
  const [, sign, whole, fraction, exponent] = hexFloat;
  const mantissa = parseInt(whole! + fraction! || "0", 16);
  const value = mantissa * 2 ** (Number(exponent ?? 0) - 4 * fraction!.length);
  return sign === "-" ? -value : value;
}

function parseProbability(ctx: ParseContext, token: Token): number {
  const p = parseCDouble(token.text);
  if (p === undefined || !(p >= 0 && p <= 1)) ctx.fail(token, `--probability "${token.text}" is not a number from 0 to 1`, "bad-value");
  return Math.round(SCALE * p);
}

/** kube-proxy writes a handful of probabilities on tens of thousands of rules: each is worked out once. */
const formattedProbabilities = new Map<number, string>();

/** printf("%.11f", probability / 2^31), exactly: round half to even on the exact binary value, as glibc does. */
function formatProbability(probability: number): string {
  let text = formattedProbabilities.get(probability);
  if (text === undefined) formattedProbabilities.set(probability, (text = printProbability(probability)));
  return text;
}

function printProbability(probability: number): string {
  const scaled = BigInt(probability) * 10n ** BigInt(DIGITS);
  let q = scaled / BigInt(SCALE);
  const twiceRemainder = 2n * (scaled % BigInt(SCALE));
  if (twiceRemainder > BigInt(SCALE) || (twiceRemainder === BigInt(SCALE) && q % 2n === 1n)) q++;
  const digits = q.toString().padStart(DIGITS + 1, "0");
  return `${digits.slice(0, -DIGITS)}.${digits.slice(-DIGITS)}`;
}

/**
 * statistic_mt: random mode matches when 31 random bits fall below the
 * stored probability, so the chance is exactly probability / 2^31 (0 and
 * 2^31 are certain); `!` swaps the outcomes. Nth mode matches when the
 * rule's shared counter wraps to 0, once every n packets.
 */
function statisticMatch(o: StatisticOptions): MatchResult {
  if (o.mode === "nth") {
    return { unknown: `-m statistic --mode nth --every ${o.every} --packet ${o.packet}: depends on how many packets the rule counted before (the first after loading matches when --packet is 0)` };
  }
  if (o.probability === 0 || o.probability === SCALE) return (o.probability === SCALE) !== o.negated;
  const p = o.probability / SCALE;
  return { unknown: `-m statistic --mode random${o.negated ? " !" : ""} --probability ${formatProbability(o.probability)}: a random choice`, probability: o.negated ? 1 - p : p };
}

const MODES = ["random", "nth"] as const;

/** `--mode random` options, shared by the rules with the same odds (kube-proxy writes a handful of them on thousands of rules). */
const RANDOM_OPTIONS = new SharedValues<number, StatisticOptions>();

export const statistic: MatchExtension<StatisticOptions> = {
  kind: "match",
  name: "statistic",
  unrepeatable: () => true,
  options: [
    { name: "mode", args: 1 },
    { name: "probability", args: 1, invertible: true },
    { name: "every", args: 1, invertible: true },
    { name: "packet", args: 1 },
  ],
  parse(uses, ctx) {
    let mode: OptionUse | undefined;
    let probability: OptionUse | undefined;
    let every: OptionUse | undefined;
    let packet: OptionUse | undefined;
    let negated = false;
    for (const use of uses) {
      if (use.spec.name === "mode") mode = use;
      else if (use.spec.name === "probability") probability = use;
      else if (use.spec.name === "every") every = use;
      else packet = use;
      negated ||= use.invert;
    }
    const nthOption = every ?? packet;
    if (probability && nthOption) ctx.fail(nthOption.at, `--probability cannot be used together with ${nthOption.at.text}`, "conflicting-options");
    if (every && !packet) ctx.fail(every.at, "--every needs --packet", "missing-option");
    if (packet && !every) ctx.fail(packet.at, "--packet needs --every", "missing-option");
    const modeUse = mode ?? ctx.fail(ctx.at, "-m statistic needs --mode random or --mode nth", "missing-option");
    const modeName = parseKeyword(ctx, modeUse.args[0]!, MODES, "--mode");
    if (modeName === "random") {
      const p = probability ?? ctx.fail(modeUse.at, "--mode random needs --probability", "missing-option");
      const scaled = parseProbability(ctx, p.args[0]!);
      const key = negated ? -1 - scaled : scaled;
      return RANDOM_OPTIONS.get(key) ?? RANDOM_OPTIONS.add(key, { mode: modeName, negated, probability: scaled });
    }
    const nth = every && packet ? { every: every.args[0]!, packet: packet.args[0]! } : ctx.fail(modeUse.at, "--mode nth needs --every and --packet", "missing-option");
    const n = parseUInt(ctx, nth.every, "--every", 1, 0xffffffff);
    const p = parseUInt(ctx, nth.packet, "--packet", 0, 0xffffffff);
    if (p >= n) ctx.fail(nth.packet, `--packet ${p} must be below --every ${n}`, "bad-value");
    return { mode: modeName, negated, every: n, packet: p };
  },
  save(o) {
    const not = o.negated ? " !" : "";
    if (o.mode === "random") return ` --mode random${not} --probability ${formatProbability(o.probability)}`;
    return ` --mode nth${not} --every ${o.every} --packet ${o.packet}`;
  },
  match: statisticMatch,
};
