/**
 * `-m u32 --u32 "TESTS"` (libxt_u32, kernel xt_u32): reads 32-bit words at
 * computed offsets of the packet and compares them with ranges. iptables-save
 * prints every number in hex, in double quotes. The semantics read the bytes
 * nfwalk knows of the IP header and the transport header; a test that needs
 * another (the IP id, sequence numbers, checksums, the payload) is unknown.
 */
import type { Token } from "../../parse/syntax.js";
import type { Packet } from "../../packet/packet.js";
import type { MatchResult } from "../semantics.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { parseCNumber, type Range } from "../values.js";

/** XT_U32_MAXSIZE: at most 10 tests, 10 location numbers and 10 value ranges each. */
const MAX = 10;

export type U32Op = "&" | "<<" | ">>" | "@";

export interface U32Test {
  /** The first number, then each operator with its operand, applied left to right. */
  readonly start: number;
  readonly steps: readonly { readonly op: U32Op; readonly number: number }[];
  /** The test holds if the computed word is in one of these ranges. */
  readonly values: readonly Range[];
}

export interface U32Options {
  readonly tests: readonly U32Test[];
  readonly negated: boolean;
}

/** A character-level reader over the argument, failing with u32's positions. */
class Reader {
  private pos = 0;
  constructor(
    private readonly ctx: ParseContext,
    private readonly token: Token,
  ) {}

  get text(): string {
    return this.token.text;
  }

  skipSpace(): string | undefined {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
    return this.text[this.pos];
  }

  take(expected: string, what: string): void {
    if (!this.text.startsWith(expected, this.pos)) this.fail(`${what} was expected`);
    this.pos += expected.length;
  }

  /** parse_number: strtoul(…, 0) from here, at least one digit, 32 bits. */
  number(): number {
    const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(this.text.slice(this.pos));
    const value = m ? parseCNumber(m[1]!) : undefined;
    if (value === undefined || value > 0xffffffffn) this.fail("not a number or out of range");
    this.pos += m![0].length;
    return Number(value);
  }

  fail(message: string): never {
    return this.ctx.fail(this.token, `u32 "${this.text}": at char ${this.pos}: ${message}`, "bad-value");
  }
}

const OPERATORS: readonly U32Op[] = ["&", "<<", ">>", "@"];

function parseTest(r: Reader): U32Test {
  r.skipSpace();
  const start = r.number();
  const steps: { op: U32Op; number: number }[] = [];
  for (let c = r.skipSpace(); c !== "="; c = r.skipSpace()) {
    if (c === undefined) r.fail("abrupt end of input after location specifier");
    const op = OPERATORS.find((o) => o[0] === c) ?? r.fail("operator expected");
    r.take(op, `"${op}"`);
    steps.push({ op, number: r.number() });
    if (steps.length + 1 > MAX) r.fail("too many operators");
  }
  r.take("=", '"="');
  const values: Range[] = [];
  do {
    if (values.length > 0) r.take(",", '","');
    const min = r.number();
    let max = min;
    if (r.skipSpace() === ":") {
      r.take(":", '":"');
      max = r.number();
    }
    values.push({ min, max });
    if (values.length > MAX) r.fail('too many ","s');
  } while (r.skipSpace() === ",");
  return { start, steps, values };
}

function parseTests(r: Reader): U32Test[] {
  const tests = [parseTest(r)];
  for (let c = r.skipSpace(); c !== undefined; c = r.skipSpace()) {
    r.take("&&", 'expected "," or "&&"');
    tests.push(parseTest(r));
    if (tests.length > MAX) r.fail('too many "&&"s');
  }
  return tests;
}

const hexNumber = (n: number) => "0x" + n.toString(16);

function formatTest(t: U32Test): string {
  const location = hexNumber(t.start) + t.steps.map((s) => s.op + hexNumber(s.number)).join("");
  const values = t.values.map((v) => (v.min === v.max ? hexNumber(v.min) : `${hexNumber(v.min)}:${hexNumber(v.max)}`));
  return `${location}=${values.join(",")}`;
}

/** The packet's bytes as far as nfwalk knows them: per byte a value and a mask of the known bits. */
interface KnownBytes {
  readonly value: Uint8Array;
  readonly known: Uint8Array;
  /** skb->len: the whole IP packet. */
  readonly length: number;
}

/** A 32-bit value and the mask of its known bits. */
interface Word {
  readonly value: number;
  readonly known: number;
}

const FULL = 0xffffffff;
const IPPROTO_FRAGMENT = 44;

/**
 * The headers nfwalk's packets have: IPv4 without options (the id, the DF
 * bit and the checksum unknown) or IPv6 (the flow label unknown), then, for
 * a whole packet or a first fragment, the transport header (TCP without
 * options, its sequence numbers, window, checksum and urgent pointer unknown;
 * UDP's checksum unknown; ICMP's type and code).
 */
function knownBytes(p: Packet): KnownBytes {
  const value = new Uint8Array(p.length);
  const known = new Uint8Array(p.length);
  const put = (at: number, bytes: readonly number[], mask = 0xff) =>
    bytes.forEach((b, i) => {
      if (at + i >= p.length) return;
      value[at + i] = b & mask;
      known[at + i] = mask;
    });
  const be16 = (n: number) => [n >>> 8, n & 0xff];
  const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  let transportAt: number | undefined;
  if (p.src.family === "ipv4" && p.dst.family === "ipv4") {
    put(0, [0x45, p.tos, ...be16(p.length)]);
    put(6, [((p.moreFragments ? 0x20 : 0) | (p.fragmentOffset >>> 8)) & 0xbf], 0xbf);
    put(7, [p.fragmentOffset & 0xff, p.ttl, p.protocol]);
    put(12, [...be32(p.src.value), ...be32(p.dst.value)]);
    if (p.fragmentOffset === 0) transportAt = 20;
  } else if (p.src.family === "ipv6" && p.dst.family === "ipv6") {
    const fragment = p.fragmentOffset !== 0 || p.moreFragments;
    put(0, [0x60 | (p.tos >>> 4)]);
    put(1, [(p.tos & 0xf) << 4], 0xf0);
    put(4, [...be16(p.length - 40), fragment ? IPPROTO_FRAGMENT : p.protocol, p.ttl]);
    const address = (a: bigint) => Array.from({ length: 16 }, (_, i) => Number((a >> BigInt(8 * (15 - i))) & 0xffn));
    put(8, [...address(p.src.value), ...address(p.dst.value)]);
    if (!fragment) transportAt = 40;
  }
  const t = p.transport;
  if (transportAt !== undefined) {
    if (t.kind === "tcp") {
      put(transportAt, [...be16(t.sport), ...be16(t.dport)]);
      put(transportAt + 12, [0x50, t.flags]);
    } else if ("sport" in t) {
      put(transportAt, [...be16(t.sport), ...be16(t.dport)]);
      if (t.kind === "udp") put(transportAt + 4, be16(p.length - transportAt));
    } else if (t.kind === "icmp" || t.kind === "icmpv6") {
      put(transportAt, [t.type, t.code]);
    }
  }
  return { value, known, length: p.length };
}

/** skb_copy_bits of four bytes at `at`, big-endian. */
function readWord(bytes: KnownBytes, at: number): Word {
  let value = 0;
  let known = 0;
  for (let i = 0; i < 4; i++) {
    value = ((value << 8) | bytes.value[at + i]!) >>> 0;
    known = ((known << 8) | bytes.known[at + i]!) >>> 0;
  }
  return { value, known };
}

/** One test of u32_match_it: true, false, or undefined when it reads bits nfwalk does not know. */
function runTest(test: U32Test, bytes: KnownBytes): boolean | undefined {
  const len = bytes.length;
  if (len < 4 || test.start > len - 4) return false;
  let word = readWord(bytes, test.start);
  let at = 0;
  for (const { op, number } of test.steps) {
    // x86 masks a 32-bit shift count to five bits; C leaves larger counts undefined.
    const shift = number & 31;
    switch (op) {
      case "&":
        word = { value: (word.value & number) >>> 0, known: (word.known | ~number) >>> 0 };
        break;
      case "<<":
        word = { value: (word.value << shift) >>> 0, known: ((word.known << shift) | ((1 << shift) - 1)) >>> 0 };
        break;
      case ">>":
        word = { value: word.value >>> shift, known: ((word.known >>> shift) | ~(FULL >>> shift)) >>> 0 };
        break;
      case "@":
        if (word.known !== FULL) return undefined;
        if (at + word.value > FULL) return false;
        at += word.value;
        if (at + 4 > FULL || len < at + 4 || number > len - at - 4) return false;
        word = readWord(bytes, at + number);
        break;
    }
  }
  if (word.known !== FULL) return undefined;
  return test.values.some((r) => r.min <= word.value && word.value <= r.max);
}

/** u32_mt: the tests in order, all must hold (a failing one decides), then the inversion. */
function u32Match(o: U32Options, packet: Packet): MatchResult {
  const bytes = knownBytes(packet);
  let unknown: U32Test | undefined;
  for (const test of o.tests) {
    const result = runTest(test, bytes);
    if (result === false) return o.negated;
    if (result === undefined) unknown ??= test;
  }
  if (unknown) return { unknown: `-m u32 "${formatTest(unknown)}" reads bits of the packet nfwalk does not know (the IP id or checksum, TCP sequence numbers, window or options, the payload)` };
  return !o.negated;
}

export const u32: MatchExtension<U32Options> = {
  kind: "match",
  name: "u32",
  options: [{ name: "u32", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m u32 needs --u32 TESTS", "missing-option");
    return { tests: parseTests(new Reader(ctx, use.args[0]!)), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --u32 "${o.tests.map(formatTest).join("&&")}"`,
  match: (o, env) => u32Match(o, env.packet),
};
