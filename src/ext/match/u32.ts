/**
 * `-m u32 --u32 "TESTS"` (libxt_u32, kernel xt_u32): reads 32-bit words at
 * computed offsets of the packet and compares them with ranges. iptables-save
 * prints every number in hex, in double quotes. The engine evaluates it as
 * unknown for now (it needs the packet's bytes).
 */
import type { Token } from "../../parse/syntax.js";
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
    const max = r.skipSpace() === ":" ? (r.take(":", '":"'), r.number()) : min;
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

export const u32: MatchExtension<U32Options> = {
  kind: "match",
  name: "u32",
  options: [{ name: "u32", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m u32 needs --u32 TESTS", "missing-option");
    return { tests: parseTests(new Reader(ctx, use.args[0]!)), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --u32 "${o.tests.map(formatTest).join("&&")}"`,
};
