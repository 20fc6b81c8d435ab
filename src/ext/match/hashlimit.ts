/**
 * `-m hashlimit` (libxt_hashlimit revision 3, kernel xt_hashlimit): a token
 * bucket per hash of addresses and ports. Stateful: its verdict is unknown. iptables-save always prints the rate, the burst (packets mode)
 * and the name, and leaves out table settings equal to the defaults, an
 * expiry equal to the rate's unit, and masks equal to the full length.
 */
import type { Token } from "../../parse/syntax.js";
import type { Family } from "../../model/types.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { parseCNumber, parsePrefixLength, parseUInt, putString } from "../values.js";
import { formatRate, rateSuffixSeconds } from "./limit.js";

/** Revision 2+ keeps packet rates as microseconds per packet (XT_HASHLIMIT_SCALE_v2). */
const SCALE = 1_000_000n;
const DEFAULT_BURST = 5;
const MAX_BURST = 1_000_000n;
const DEFAULT_GC_INTERVAL = 1000;
/** Byte mode expires entries after 15 s, or 60 s with a burst (XT_HASHLIMIT_BYTE_EXPIRE*). */
const BYTE_EXPIRE_MS = 15_000;
const BYTE_EXPIRE_BURST_MS = 60_000;
const BYTE_SHIFT = 4n;
const UINT32_MAX = 0xffffffffn;
const UINT64 = 1n << 64n;
/** NAME_MAX, with the NUL. */
const NAME_SIZE = 255;
/**
 * HZ × CREDITS_PER_JIFFY / SCALE in the kernel's user2credits: 137438953 for
 * HZ 250 and HZ 1000 alike (it differs for HZ 100 and 300).
 */
const CREDITS_FACTOR = 137438953n;

export const HASH_MODES = ["srcip", "srcport", "dstip", "dstport"] as const;
export type HashMode = (typeof HASH_MODES)[number];

export interface HashlimitOptions {
  readonly name: string;
  /** --hashlimit-above (the kernel's XT_HASHLIMIT_INVERT): match while over the rate. */
  readonly above: boolean;
  /**
   * packets: avg is microseconds per packet; bytes: avg is the kernel's cost
   * per 16-byte chunk, and burst counts rate-sized chunks (0: none given).
   */
  readonly unit: "packets" | "bytes";
  readonly avg: number;
  readonly burst: number;
  /** What is hashed, in the order iptables prints it; empty: one bucket for all. */
  readonly mode: readonly HashMode[];
  readonly srcmask: number;
  readonly dstmask: number;
  /** 0: the kernel's default. */
  readonly htableSize: number;
  readonly htableMax: number;
  readonly gcInterval: number;
  /** Milliseconds. */
  readonly expire: number;
  readonly rateMatch: boolean;
  /** Seconds, for --hashlimit-rate-match; 0 otherwise. */
  readonly interval: number;
}

interface Rate {
  readonly unit: "packets" | "bytes";
  readonly avg: bigint;
  /** Seconds the rate was given per; byte rates count as 15 for the default expiry. */
  readonly mult: number;
}

const BYTE_UNITS = [
  ["m", 1n << 20n],
  ["k", 1n << 10n],
  ["", 1n],
] as const;

/** C's atoll: leading digits, 0 when there are none. */
function atoll(text: string): bigint {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? BigInt.asUintN(64, BigInt(m[1]!)) : 0n;
}

const factor = (c: string | undefined): bigint => (c === "m" ? 1n << 20n : c === "k" ? 1n << 10n : 1n);

function bytesToCost(bytes: bigint): bigint {
  const chunks = BigInt.asUintN(32, bytes >> BYTE_SHIFT);
  return UINT32_MAX / (chunks + 1n);
}

function costToBytes(cost: bigint): bigint {
  return ((cost ? UINT32_MAX / cost : UINT32_MAX) - 1n) << BYTE_SHIFT;
}

/** parse_bytes, then parse_rate: `4kb/s`, `10mb/s`, or `N[/second|minute|hour|day]` by any prefix. */
function parseRate(ctx: ParseContext, token: Token): Rate {
  const text = token.text;
  const bad = () => ctx.fail(token, `bad rate "${text}": N/sec, N/min, N/hour, N/day or Nb/s, Nkb/s, Nmb/s`, "bad-value");
  const bytesAt = text.indexOf("b/s");
  if (bytesAt > 0 && atoll(text) !== 0n) {
    const cost = bytesToCost(atoll(text) * factor(text[bytesAt - 1]));
    if (cost === 0n) ctx.fail(token, `rate "${text}" is too high`, "bad-value");
    return { unit: "bytes", avg: cost, mult: BYTE_EXPIRE_MS / 1000 };
  }
  const slash = text.indexOf("/");
  let mult = 1;
  if (slash !== -1) {
    mult = rateSuffixSeconds(text.slice(slash + 1)) ?? bad();
  }
  const count = atoll(text);
  if (count === 0n) bad();
  const avg = (SCALE * BigInt(mult)) / count;
  if (avg === 0n) ctx.fail(token, `rate "${text}" is too fast: at most ${SCALE}/sec`, "bad-value");
  return { unit: "packets", avg, mult };
}

/** parse_burst: a number from 1, optionally followed by k or m (only the first letter after the digits counts). */
function parseBurst(ctx: ParseContext, token: Token): bigint {
  const m = /^(\s*\+?(?:0[xX][0-9a-fA-F]+|\d+))(.*)$/s.exec(token.text);
  const bad = () => ctx.fail(token, `--hashlimit-burst "${token.text}" is not a number from 1 to ${MAX_BURST}`, "bad-value");
  const value = (m ? parseCNumber(m[1]!) : undefined) ?? bad();
  if (value < 1n || value >= UINT64 || (m![2] === "" && value > MAX_BURST)) bad();
  const burst = value * factor(m![2]![0]);
  if (burst >= UINT64) bad();
  return burst;
}

function parseMode(ctx: ParseContext, token: Token): HashMode[] {
  const words = token.text.split(/[,|]/).filter((w) => w !== "");
  const unknown = words.find((w) => !(HASH_MODES as readonly string[]).includes(w));
  if (unknown !== undefined) ctx.fail(token, `unknown --hashlimit-mode "${unknown}": srcip, srcport, dstip or dstport`, "bad-value");
  return HASH_MODES.filter((m) => words.includes(m));
}

function fullMask(family: Family): number {
  return family === "ipv4" ? 32 : 128;
}

/** The kernel's check that avg × burst does not overflow its credit counter (user2credits, 64-bit wrap). */
function creditsOverflow(avg: bigint, burst: bigint): boolean {
  const credits = (user: bigint) => BigInt.asUintN(64, BigInt.asUintN(64, user) * CREDITS_FACTOR);
  return credits(avg * burst) < credits(avg);
}

export const hashlimit: MatchExtension<HashlimitOptions> = {
  kind: "match",
  name: "hashlimit",
  unrepeatable: () => true,
  options: [
    { name: "hashlimit-upto", aliases: ["hashlimit"], args: 1, invertible: true },
    { name: "hashlimit-above", args: 1, invertible: true },
    { name: "hashlimit-srcmask", args: 1 },
    { name: "hashlimit-dstmask", args: 1 },
    { name: "hashlimit-burst", args: 1 },
    { name: "hashlimit-htable-size", args: 1 },
    { name: "hashlimit-htable-max", args: 1 },
    { name: "hashlimit-htable-gcinterval", args: 1 },
    { name: "hashlimit-htable-expire", args: 1 },
    { name: "hashlimit-mode", args: 1 },
    { name: "hashlimit-name", args: 1 },
    { name: "hashlimit-rate-match", args: 0 },
    { name: "hashlimit-rate-interval", args: 1 },
  ],
  parse(uses, ctx) {
    const find = (name: string): OptionUse | undefined => uses.find((u) => u.spec.name === `hashlimit-${name}`);
    const arg = (name: string) => find(name)?.args[0];
    const [upto, above] = [find("upto"), find("above")];
    if (upto && above) ctx.fail(above.at, "--hashlimit-upto and --hashlimit-above cannot be used together", "conflicting-options");
    const nameToken = arg("name") ?? ctx.fail(ctx.at, "-m hashlimit needs --hashlimit-name", "missing-option");
    if (nameToken.text === "") ctx.fail(nameToken, "--hashlimit-name cannot be empty", "bad-value");
    const limit = upto ?? above ?? ctx.fail(ctx.at, "-m hashlimit needs --hashlimit-upto or --hashlimit-above", "missing-option");
    const rate = parseRate(ctx, limit.args[0]!);
    const u32 = (name: string, min = 0) => {
      const token = arg(name);
      return token && parseUInt(ctx, token, `--hashlimit-${name}`, min, 0xffffffff);
    };
    const mask = (name: string) => {
      const token = arg(name);
      const length = token ? parsePrefixLength(ctx, token, token.text, ctx.family) : fullMask(ctx.family);
      return length <= fullMask(ctx.family) ? length : ctx.fail(token!, `--hashlimit-${name} needs a prefix length or a contiguous mask`, "bad-value");
    };
    const burstToken = arg("burst");
    const givenBurst = burstToken && parseBurst(ctx, burstToken);
    let expire = u32("htable-expire", 1) ?? rate.mult * 1000;
    let avg = rate.avg;
    let burst: bigint;
    if (rate.unit === "bytes") {
      burst = 0n;
      if (givenBurst !== undefined) {
        const chunk = costToBytes(avg);
        if (givenBurst < chunk) ctx.fail(burstToken!, `--hashlimit-burst cannot be smaller than ${chunk}b at this rate`, "bad-value");
        // hashlimit_mt_check divides a 32-bit copy but rounds up by the full value.
        burst = BigInt.asUintN(32, givenBurst) / chunk + (givenBurst % chunk ? 1n : 0n);
        if (!find("htable-expire")) expire = BYTE_EXPIRE_BURST_MS;
      }
    } else {
      burst = givenBurst ?? BigInt(DEFAULT_BURST);
      if (burst > MAX_BURST) ctx.fail(burstToken!, `--hashlimit-burst is at most ${MAX_BURST}`, "bad-value");
    }
    const rateMatch = find("rate-match") !== undefined;
    const intervalToken = arg("rate-interval");
    let interval = intervalToken ? Number(atoll(intervalToken.text)) : 0;
    if (intervalToken && !(interval > 0 && interval <= 0x7fffffff)) ctx.fail(intervalToken, "--hashlimit-rate-interval must be a positive number", "bad-value");
    if (intervalToken && !rateMatch) ctx.fail(intervalToken, "--hashlimit-rate-interval needs --hashlimit-rate-match", "missing-option");
    if (rateMatch) {
      if (rate.unit === "packets") avg /= BigInt(rate.mult);
      if (interval === 0) interval = rate.unit === "bytes" ? 1 : rate.mult;
    } else if (rate.unit === "packets" && creditsOverflow(avg, burst)) {
      ctx.fail(limit.args[0]!, `rate × burst overflows the kernel's credit counter: lower --hashlimit-burst`, "bad-value");
    }
    const gcInterval = u32("htable-gcinterval", 1) ?? DEFAULT_GC_INTERVAL;
    const modeToken = arg("mode");
    return {
      name: putString(ctx, nameToken, NAME_SIZE, "hashlimit name"),
      above: above ? !above.invert : limit.invert,
      unit: rate.unit,
      avg: Number(avg),
      burst: Number(burst),
      mode: modeToken ? parseMode(ctx, modeToken) : [],
      srcmask: mask("srcmask"),
      dstmask: mask("dstmask"),
      htableSize: u32("htable-size") ?? 0,
      htableMax: u32("htable-max") ?? 0,
      gcInterval,
      expire,
      rateMatch,
      interval,
    };
  },
  save(o, ctx) {
    let text = o.above ? " --hashlimit-above" : " --hashlimit-upto";
    let quantum: number;
    if (o.unit === "bytes") {
      const bytes = costToBytes(BigInt(o.avg));
      const [name, size] = BYTE_UNITS.find(([, size]) => size === 1n || (bytes >= size && bytesToCost(bytes & ~(size - 1n)) === BigInt(o.avg)))!;
      text += ` ${bytes / size}${name}b/s`;
      quantum = BYTE_EXPIRE_MS;
      if (o.burst !== 0) {
        const total = bytes * BigInt(o.burst);
        const [bname, bsize] = BYTE_UNITS.find(([, size]) => total >= size)!;
        text += ` --hashlimit-burst ${total / bsize}${bname}b`;
        quantum = BYTE_EXPIRE_BURST_MS;
      }
    } else {
      const rate = formatRate(BigInt(o.avg), SCALE);
      text += ` ${rate.text} --hashlimit-burst ${o.burst}`;
      quantum = rate.seconds * 1000;
    }
    if (o.mode.length > 0) text += ` --hashlimit-mode ${o.mode.join(",")}`;
    text += ` --hashlimit-name ${o.name}`;
    if (o.htableSize !== 0) text += ` --hashlimit-htable-size ${o.htableSize}`;
    if (o.htableMax !== 0) text += ` --hashlimit-htable-max ${o.htableMax}`;
    if (o.gcInterval !== DEFAULT_GC_INTERVAL) text += ` --hashlimit-htable-gcinterval ${o.gcInterval}`;
    if (o.expire !== quantum) text += ` --hashlimit-htable-expire ${o.expire}`;
    const full = fullMask(ctx.family);
    if (o.srcmask !== full) text += ` --hashlimit-srcmask ${o.srcmask}`;
    if (o.dstmask !== full) text += ` --hashlimit-dstmask ${o.dstmask}`;
    if (o.rateMatch) text += " --hashlimit-rate-match";
    if (o.rateMatch && o.interval !== 1) text += ` --hashlimit-rate-interval ${o.interval}`;
    return text;
  },
  /**
   * hashlimit_mt_common: the bucket of the packet's hash key (a fresh one
   * starts full) pays for the packet or not; which depends on the packets of
   * the same key that came before, which nfwalk does not know.
   */
  match: (o) => ({
    unknown: `-m hashlimit --hashlimit-name ${o.name}: ${o.above ? "matches over" : "matches up to"} the rate per ${o.mode.length > 0 ? o.mode.join(",") : "rule"}, which depends on the packets seen before`,
  }),
};
