/**
 * `-m time` (libxt_time, kernel xt_time): a time of day, days of the week or month, and a
 * date range. Validated and printed as iptables-save 1.8.9 prints it; whether a packet
 * matches depends on the clock when it arrives, which nfwalk does not model.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { parseCNumber } from "../values.js";

/** XT_TIME_MAX_DAYTIME: 23:59:59. */
const LAST_SECOND = 24 * 60 * 60 - 1;
/** time_init's defaults: every day of the month (bits 1-31) and of the week (bits 1-7), no date bound. */
const ALL_MONTHDAYS = 0xfffffffe;
const ALL_WEEKDAYS = 0xfe;
const NO_DATE_STOP = 0x7fffffff;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export interface TimeOptions {
  /** Seconds since midnight. */
  readonly daytimeStart: number;
  readonly daytimeStop: number;
  /** Bit n for day n of the month / of the week (1 = Monday). */
  readonly monthdays: number;
  readonly weekdays: number;
  /** Seconds since 1970 (UTC). */
  readonly dateStart: number;
  readonly dateStop: number;
  /** --kerneltz (or the deprecated --localtz): the kernel's time zone, not UTC. */
  readonly kernelTz: boolean;
  readonly contiguous: boolean;
}

/**
 * Numbers read as strtoul(…, 10) reads them (no digits reads 0), each followed by its
 * separator or the end; stops at the end. undefined when a field is out of range or
 * followed by anything else.
 */
function readFields(text: string, maxima: readonly number[], separators: string): number[] | undefined {
  const fields: number[] = [];
  let rest = text;
  for (const [i, max] of maxima.entries()) {
    const digits = /^\d*/.exec(rest)![0];
    const value = digits === "" ? 0 : Number(digits);
    rest = rest.slice(digits.length);
    if (value > max) return undefined;
    fields.push(value);
    if (rest === "") return fields;
    if (rest[0] !== separators[i]) return undefined;
    rest = rest.slice(1);
  }
  return undefined;
}

/** time_parse_minutes: hh:mm[:ss]. */
function parseDaytime(ctx: ParseContext, token: Token): number {
  const fields = token.text.includes(":") ? readFields(token.text, [23, 59, 59], "::") : undefined;
  if (!fields || fields.length < 2) ctx.fail(token, `invalid time "${token.text}": give hh:mm[:ss], from 00:00:00 to 23:59:59`, "bad-value");
  return fields[0]! * 3600 + fields[1]! * 60 + (fields[2] ?? 0);
}

/** time_parse_date: YYYY[-MM[-DD[Thh[:mm[:ss]]]]] in UTC, with mktime's carrying (month 0 is December before). */
function parseDate(ctx: ParseContext, token: Token): number {
  const fields = readFields(token.text, [2038, 12, 31, 23, 59, 59], "--T::");
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = fields ?? [];
  if (!fields || year < 1970) ctx.fail(token, `invalid date "${token.text}": give YYYY[-MM[-DD[Thh[:mm[:ss]]]]], years 1970 to 2038`, "bad-value");
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  if (seconds < 0) ctx.fail(token, `date "${token.text}" is before 1970-01-01 (iptables: mktime returned an error)`, "bad-value");
  return seconds;
}

/** my_strseg: comma-separated words, each cut to what fits the buffer; a final comma ends the list. */
function listWords(text: string, width: number): string[] {
  const words = text.split(",");
  if (words.at(-1) === "") words.pop();
  return words.map((w) => w.slice(0, width));
}

/** time_parse_monthdays: numbers 0-31 (strtoul, base 0; 0 sets a bit no day uses). */
function parseMonthdays(ctx: ParseContext, token: Token): number {
  let mask = 0;
  for (const word of listWords(token.text, 2)) {
    const day = word === "" ? 0n : parseCNumber(word);
    if (day === undefined || day > 31n) ctx.fail(token, `"${word}" is not a day of the month (1 to 31) for --monthdays`, "bad-value");
    mask |= 2 ** Number(day);
  }
  return mask >>> 0;
}

/** time_parse_weekdays: numbers 1-7 or names by their first two letters (Mo, Tu, …). */
function parseWeekdays(ctx: ParseContext, token: Token): number {
  let mask = 0;
  for (const word of listWords(token.text, 3)) {
    const number = word === "" ? 0n : parseCNumber(word);
    if (number === 0n) ctx.fail(token, "--weekdays: days are 1 (Monday) to 7 (Sunday); 0 is none", "bad-value");
    // A number beyond 7 sets a bit the 8-bit field drops (x86 shifts by the count modulo 32).
    if (number !== undefined) mask |= (1 << Number(number > 0xffffffffn ? 31n : number & 31n)) & 0xff;
    else {
      const index = WEEKDAYS.findIndex((name) => name.slice(0, 2) === word.slice(0, 2) && word.length >= 2);
      if (index < 0) ctx.fail(token, `"${word}" is not a day of the week (Mon, Tue, Wed, Thu, Fri, Sat, Sun or 1 to 7)`, "bad-value");
      mask |= 1 << (index + 1);
    }
  }
  return mask;
}

/** printf(" %04u-%02u-%02uT%02u:%02u:%02u") of gmtime. */
function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

function formatDaytime(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

function days(mask: number, names: (day: number) => string, last: number): string {
  const list: string[] = [];
  for (let day = 1; day <= last; day++) if (mask & (2 ** day)) list.push(names(day));
  return list.join(",");
}

export const time: MatchExtension<TimeOptions> = {
  kind: "match",
  name: "time",
  unmodelled: true,
  options: [
    { name: "datestart", args: 1 },
    { name: "datestop", args: 1 },
    { name: "timestart", args: 1 },
    { name: "timestop", args: 1 },
    { name: "contiguous", args: 0 },
    { name: "weekdays", args: 1, invertible: true },
    { name: "monthdays", args: 1, invertible: true },
    { name: "localtz", args: 0 },
    { name: "utc", args: 0 },
    { name: "kerneltz", args: 0 },
  ],
  parse(uses, ctx) {
    let o: TimeOptions = { daytimeStart: 0, daytimeStop: LAST_SECOND, monthdays: ALL_MONTHDAYS, weekdays: ALL_WEEKDAYS, dateStart: 0, dateStop: NO_DATE_STOP, kernelTz: false, contiguous: false };
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const utc = given("utc");
    const local: OptionUse | undefined = given("kerneltz") ?? given("localtz");
    if (utc && local) ctx.fail(utc.at, `--utc and ${local.at.text} exclude each other`, "conflicting-options");
    for (const use of uses) {
      const arg = use.args[0]!;
      switch (use.spec.name) {
        case "datestart":
          o = { ...o, dateStart: parseDate(ctx, arg) };
          break;
        case "datestop":
          o = { ...o, dateStop: parseDate(ctx, arg) };
          break;
        case "timestart":
          o = { ...o, daytimeStart: parseDaytime(ctx, arg) };
          break;
        case "timestop":
          o = { ...o, daytimeStop: parseDaytime(ctx, arg) };
          break;
        case "contiguous":
          o = { ...o, contiguous: true };
          break;
        case "monthdays":
          o = { ...o, monthdays: (parseMonthdays(ctx, arg) ^ (use.invert ? ALL_MONTHDAYS : 0)) >>> 0 };
          break;
        case "weekdays":
          o = { ...o, weekdays: parseWeekdays(ctx, arg) ^ (use.invert ? ALL_WEEKDAYS : 0) };
          break;
        case "localtz":
          ctx.warn(use.at, '--localtz is the old name of --kerneltz ("local" is ambiguous); the kernel\'s time zone has caveats, see iptables-extensions(8)', "deprecated-option");
          o = { ...o, kernelTz: true };
          break;
        case "kerneltz":
          o = { ...o, kernelTz: true };
          break;
      }
    }
    if (o.contiguous && o.daytimeStart < o.daytimeStop) ctx.fail(given("contiguous")!.at, "--contiguous only makes sense when --timestop is earlier than --timestart", "conflicting-options");
    return o;
  },
  save(o) {
    let text = "";
    if (o.daytimeStart !== 0 || o.daytimeStop !== LAST_SECOND) text += ` --timestart ${formatDaytime(o.daytimeStart)} --timestop ${formatDaytime(o.daytimeStop)}`;
    if (o.monthdays !== ALL_MONTHDAYS) text += ` --monthdays ${days(o.monthdays, String, 31)}`;
    if (o.weekdays !== ALL_WEEKDAYS) text += ` --weekdays ${days(o.weekdays, (d) => WEEKDAYS[d - 1]!, 7)}`;
    // iptables 1.8.9 skips only 0 (and LONG_MAX, which a 32-bit field never holds): the default stop date is printed too.
    if (o.dateStart !== 0) text += ` --datestart ${formatDate(o.dateStart)}`;
    if (o.dateStop !== 0) text += ` --datestop ${formatDate(o.dateStop)}`;
    if (o.kernelTz) text += " --kerneltz";
    if (o.contiguous) text += " --contiguous";
    return text;
  },
};
