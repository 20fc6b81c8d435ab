/**
 * The dump's line syntax: what each kind of line becomes, where blanks and
 * line ends are noted, and where a malformed line is reported.
 */
import { describe, expect, test } from "vitest";
import { parseDumpSyntax, type DumpText } from "../../src/parse/parse-dump.js";
import { splitWords, type LineNode } from "../../src/parse/syntax.js";

function read(text: DumpText) {
  const lines: LineNode[] = [];
  const result = parseDumpSyntax(text, "d", (line) => lines.push(line));
  return { lines, error: result.ok ? undefined : result.error };
}

const only = (text: string) => {
  const { lines, error } = read(text);
  expect(error).toBeUndefined();
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

/** A line's content with a rule's words as tokens. */
const contentOf = (text: string) => {
  const content = only(text).content;
  return content?.kind === "rule" ? { kind: "rule", counters: content.counters, args: content.words.tokens() } : content;
};

describe("lines", () => {
  test("each kind of content, with its position", () => {
    expect(only("# x y ").content).toEqual({ kind: "comment", text: " x y " });
    expect(only("*filter").content).toEqual({ kind: "table", name: { text: "filter", quoted: false, line: 1, column: 2, length: 6 }, args: [], loc: { line: 1, column: 1 } });
    expect(only(":FOO - [0:0]").content).toEqual({
      kind: "chain",
      name: { text: "FOO", quoted: false, line: 1, column: 2, length: 3 },
      args: [
        { text: "-", quoted: false, line: 1, column: 6, length: 1 },
        { text: "[0:0]", quoted: false, line: 1, column: 8, length: 5 },
      ],
      loc: { line: 1, column: 1 },
    });
    expect(only("COMMIT").content).toEqual({ kind: "commit", loc: { line: 1, column: 1 } });
    expect(contentOf("[3:40]  -A X")).toEqual({
      kind: "rule",
      counters: { packets: 3n, bytes: 40n, line: 1, column: 1 },
      args: [
        { text: "-A", quoted: false, line: 1, column: 9, length: 2 },
        { text: "X", quoted: false, line: 1, column: 12, length: 1 },
      ],
    });
  });

  test("a name right after * or : is optional; blanks before it make it a word", () => {
    const table = only("* filter").content;
    expect(table?.kind === "table" && [table.name, table.args.map((a) => a.text)]).toEqual([null, ["filter"]]);
  });

  test("COMMIT followed by more than blanks is a rule's word; counters without a blank after them are too", () => {
    expect(contentOf("COMMITTED")).toMatchObject({ kind: "rule", counters: null, args: [{ text: "COMMITTED" }] });
    expect(contentOf("[1:2]-A")).toMatchObject({ kind: "rule", counters: null, args: [{ text: "[1:2]-A" }] });
    expect(contentOf("[1:2")).toMatchObject({ kind: "rule", counters: null, args: [{ text: "[1:2" }] });
  });

  test("blanks: leading on every line, trailing only where the content is not a rule or comment (whose text runs to the end)", () => {
    expect(only("  *nat \t")).toMatchObject({ leadingBlanks: 2, trailingBlanks: 2 });
    expect(only("COMMIT  ")).toMatchObject({ leadingBlanks: 0, trailingBlanks: 2 });
    expect(only(" -A X  ")).toMatchObject({ leadingBlanks: 1, trailingBlanks: 0 });
    expect(only("   ")).toMatchObject({ content: null, leadingBlanks: 3, trailingBlanks: 0 });
  });

  test("CRLF line ends are noted, and a dump's final line break is followed by an empty line", () => {
    const { lines } = read("*filter\r\nCOMMIT \r\n");
    expect(lines.map((l) => [l.line, l.content?.kind ?? null, l.crlf, l.trailingBlanks])).toEqual([
      [1, "table", true, 0],
      [2, "commit", true, 1],
      [3, null, false, 0],
    ]);
  });

  test("a rule's words: blanks and tabs split them, quotes join them, a backslash in quotes takes the next character", () => {
    const words = (text: string) => {
      const content = contentOf(text);
      return content?.kind === "rule" ? content.args.map((w) => [w.text, w.quoted, w.column, w.length]) : content;
    };
    expect(words("-A X\t-j  Y")).toEqual([
      ["-A", false, 1, 2],
      ["X", false, 4, 1],
      ["-j", false, 6, 2],
      ["Y", false, 10, 1],
    ]);
    // A bare start and a quoted end make one word; the closing quote ends it.
    expect(words('a"b c"d "" e')).toEqual([
      ["ab c", true, 1, 6],
      ["d", false, 7, 1],
      ["", true, 9, 2],
      ["e", false, 12, 1],
    ]);
    expect(words('"x\\"y\\\\" "\\a\\ b"\t"t\tu"')).toEqual([
      ['x"y\\', true, 1, 8],
      ["a b", true, 10, 7],
      ["t\tu", true, 18, 5],
    ]);
  });

  test("a rule's words read in place: text compared without quotes, letters of a bare word, words left out", () => {
    const content = only('-A X "-j" ! -c 1 2 "-j" Y').content;
    if (content?.kind !== "rule") throw new Error("a rule line");
    const words = content.words;
    expect(words.count).toBe(9);
    expect([words.is(2, "-j"), words.quoted(2), words.is(2, '"-j"'), words.is(3, "!"), words.is(0, "-A "), words.is(0, "-")]).toEqual([true, true, false, true, false, false]);
    expect([words.charCodeAt(0, 1), words.charCodeAt(0, 2)]).toEqual(["A".charCodeAt(0), Number.NaN]);
    const kept = words.without(4, 3);
    expect(kept.tokens().map((w) => [w.text, w.quoted, w.column])).toEqual([
      ["-A", false, 1],
      ["X", false, 4],
      ["-j", true, 6],
      ["!", false, 11],
      ["-j", true, 20],
      ["Y", false, 25],
    ]);
  });

  test("each rule line's words are its own, whatever tabs, quotes and backslashes the lines after it have", () => {
    const rules = ['-A X -m comment --comment "a \\" b" -j Y', "-A X\t-j Y", '-A X "q" z', "-A X -j Y", "-A X\\ -j\tY", '  -A X ""\t"c"d '];
    const { lines, error } = read(rules.join("\n"));
    expect(error).toBeUndefined();
    const split = (rule: string) => {
      const words = splitWords(rule, 1, 1);
      return "unterminated" in words ? words : words.tokens().map((w) => [w.text, w.quoted, w.column, w.length]);
    };
    expect(lines.map((l) => (l.content?.kind === "rule" ? l.content.words.tokens().map((w) => [w.text, w.quoted, w.column, w.length]) : l.content))).toEqual(rules.map(split));
    expect(split(rules[5]!)).toEqual([
      ["-A", false, 3, 2],
      ["X", false, 6, 1],
      ["", true, 8, 2],
      ["c", true, 11, 3],
      ["d", false, 14, 1],
    ]);
  });

  test("pieces cut after line breaks read as the whole text", () => {
    const text = "*filter\n:INPUT ACCEPT [0:0]\r\n-A INPUT -j ACCEPT\nCOMMIT\n";
    expect(read(["*filter\n", ":INPUT ACCEPT [0:0]\r\n-A INPUT -j ACCEPT\n", "COMMIT\n", ""])).toEqual(read(text));
  });
});

describe("malformed lines", () => {
  const syntax = (text: DumpText) => {
    const { lines, error } = read(text);
    return { read: lines.length, message: error?.message, at: error?.span && [error.span.line, error.span.column, error.span.length] };
  };

  test("a carriage return not before the line break", () => {
    expect(syntax("*filter\n-A X\r-j Y\n")).toEqual({ read: 1, message: 'unexpected "\\r"', at: [2, 5, 1] });
    expect(syntax("*filter\rx")).toEqual({ read: 0, message: 'unexpected "\\r"', at: [1, 8, 1] });
  });

  test("anything after COMMIT but blanks", () => {
    expect(syntax("COMMIT  x\n")).toEqual({ read: 0, message: 'unexpected "x"', at: [1, 9, 1] });
  });

  test("counters and no rule after them, at the line break, a carriage return or the end", () => {
    expect(syntax("#\n[1:2] \n")).toEqual({ read: 1, message: 'unexpected "\\n"', at: [2, 7, 1] });
    expect(syntax("[1:2]\t\r\n")).toEqual({ read: 0, message: 'unexpected "\\r"', at: [1, 7, 1] });
    expect(syntax("[1:2] ")).toEqual({ read: 0, message: "unexpected end of input", at: [1, 7, 1] });
    // Read in pieces, a line at a piece's end is what it is in the whole text (it was "unexpected end of input").
    expect(syntax(["#\n", "[1:2] \n", "COMMIT\n"])).toEqual({ read: 1, message: 'unexpected "\\n"', at: [2, 7, 1] });
  });

  test("an unterminated quote, at its opening quote", () => {
    expect(syntax('*filter\n-A X -m comment --comment "a b\n')).toEqual({
      read: 1,
      message: 'unterminated quoted string: a closing " is missing on this line',
      at: [2, 27, 1],
    });
    // An escaped quote closes nothing, nor does a backslash at the line's end.
    expect(syntax('-A X "a\\"')).toMatchObject({ message: 'unterminated quoted string: a closing " is missing on this line', at: [1, 6, 1] });
    expect(syntax('-A X "b\\')).toMatchObject({ at: [1, 6, 1] });
    // A quote on a later line closes nothing either.
    expect(syntax('-A X "a\n-A Y "b"')).toMatchObject({ read: 0, at: [1, 6, 1] });
  });
});
