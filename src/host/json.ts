/**
 * A small JSON reader that remembers where things are: `JSON.parse` says neither where a
 * syntax error is (not on every Node version) nor where a value came from, and diagnostics
 * about `ip -json` files should point at the offending entry.
 */

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export type JsonResult =
  | {
      readonly ok: true;
      readonly value: Json;
      /** Offset of every array and object in the text, and of each object member's value and array element (by index: "0", "1", …). */
      readonly offsets: WeakMap<object, { readonly at: number; readonly members: ReadonlyMap<string, number> }>;
    }
  | { readonly ok: false; readonly offset: number; readonly message: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
/**
 * Arrays and objects nested deeper than this are refused: what `ip -json` and `docker inspect` print nests a
 * handful deep, and each level costs a stack frame (a hundred thousand would overflow the stack).
 */
export const MAX_JSON_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function parseJson(text: string): JsonResult {
  const offsets = new WeakMap<object, { at: number; members: Map<string, number> }>();
  let pos = 0;
  let depth = 0;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(at, message);
  };
  const skipBlanks = (): void => {
    while (pos < text.length && " \t\n\r".includes(text[pos]!)) pos++;
  };
  const expect = (char: string): void => {
    skipBlanks();
    if (text[pos] !== char) fail(pos >= text.length ? `unexpected end of input, expected '${char}'` : `expected '${char}'`);
    pos++;
  };

  const readString = (): string => {
    let out = "";
    pos++; // opening quote
    for (;;) {
      const c = text[pos];
      if (c === undefined) return fail("unterminated string");
      if (c === '"') break;
      if (c === "\\") {
        const e = text[pos + 1] ?? "";
        if (e === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          const decoded = ESCAPES[e];
          if (decoded === undefined) fail("bad escape in string");
          out += decoded;
          pos += 2;
        }
      } else {
        if (c < " ") fail("control character in string");
        out += c;
        pos++;
      }
    }
    pos++;
    return out;
  };

  const readValue = (): Json => {
    skipBlanks();
    const c = text[pos];
    if (c === undefined) return fail("unexpected end of input, expected a value");
    if (c !== "{" && c !== "[") return readScalar(c);
    if (++depth > MAX_JSON_DEPTH) fail(`arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels`);
    const value = c === "{" ? readObject() : readArray();
    depth--;
    return value;
  };

  const readObject = (): Json => {
    const start = pos;
    pos++;
    const members = new Map<string, number>();
    // No prototype: a member named "__proto__" or "constructor" is a member like any other.
    const object: Record<string, Json> = Object.create(null) as Record<string, Json>;
    skipBlanks();
    if (text[pos] === "}") pos++;
    else {
      for (;;) {
        skipBlanks();
        if (text[pos] !== '"') fail("expected a property name in double quotes");
        const key = readString();
        expect(":");
        skipBlanks();
        members.set(key, pos);
        object[key] = readValue();
        skipBlanks();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "}") {
          pos++;
          break;
        } else fail("expected ',' or '}' after a property value");
      }
    }
    offsets.set(object, { at: start, members });
    return object;
  };

  const readArray = (): Json => {
    const start = pos;
    pos++;
    const array: Json[] = [];
    const elements = new Map<string, number>();
    skipBlanks();
    if (text[pos] === "]") pos++;
    else {
      for (;;) {
        skipBlanks();
        elements.set(String(array.length), pos);
        array.push(readValue());
        skipBlanks();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "]") {
          pos++;
          break;
        } else fail("expected ',' or ']' after an array element");
      }
    }
    offsets.set(array, { at: start, members: elements });
    return array;
  };

  const readScalar = (c: string): Json => {
    if (c === '"') return readString();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number === null) return fail(`unexpected character '${c}'`);
    pos += number[0].length;
    return Number(number[0]);
  };

  try {
    const value = readValue();
    skipBlanks();
    if (pos < text.length) fail("unexpected text after the JSON value");
    return { ok: true, value, offsets };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
