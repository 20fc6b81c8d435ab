/**
 * Syntax nodes of an iptables-save dump, as the grammar produces them.
 * They say what a line looks like, not what it means.
 */

/** One word of a line, after iptables-restore's quoting rules were applied. */
export interface Token {
  readonly text: string;
  /** The word was (partly) written in double quotes. */
  readonly quoted: boolean;
  readonly line: number;
  readonly column: number;
  /** Characters the word takes in the source, quotes included. */
  readonly length: number;
}

export interface CountersNode {
  readonly packets: bigint;
  readonly bytes: bigint;
  readonly line: number;
  readonly column: number;
}

export interface Location {
  readonly line: number;
  readonly column: number;
}

export type LineContent =
  | { readonly kind: "comment"; readonly text: string }
  | { readonly kind: "table"; readonly name: Token | null; readonly args: readonly Token[]; readonly loc: Location }
  | { readonly kind: "chain"; readonly name: Token | null; readonly args: readonly Token[]; readonly loc: Location }
  | { readonly kind: "commit"; readonly loc: Location }
  | { readonly kind: "rule"; readonly counters: CountersNode | null; readonly args: readonly Token[] };

export interface LineNode {
  readonly line: number;
  readonly content: LineContent | null;
  /** Blanks before the content; iptables-restore itself wants none. */
  readonly leadingBlanks: number;
  readonly trailingBlanks: number;
  readonly crlf: boolean;
}

/** The node builders the grammar's actions call (handed over as a parser option). */
export const syntaxHelpers = {
  words: splitWords,
  token(text: string, quoted: boolean, line: number, column: number, length: number): Token {
    return { text, quoted, line, column, length };
  },
  counters(packets: string, bytes: string, line: number, column: number): CountersNode {
    return { packets: BigInt(packets), bytes: BigInt(bytes), line, column };
  },
  lineNode(content: LineContent | null, line: number, leadingBlanks: number, trailingBlanks: number, crlf: boolean): LineNode {
    return { line, content, leadingBlanks, trailingBlanks, crlf };
  },
};

/**
 * A rule line's words, as iptables-restore's add_param_to_argv splits them:
 * blanks separate words; `"` opens a quoted part in which a backslash takes
 * the next character literally; the closing quote ends the word (a word may
 * start bare and end quoted: `a"b c"` is `ab c`). `column` is where `text`
 * starts. Trailing blanks are dropped; an unterminated quote is reported
 * with the column of its opening `"`.
 */
export function splitWords(text: string, line: number, column: number): { readonly words: Token[] } | { readonly unterminated: number } {
  const words = gathered;
  let count = 0;
  const n = text.length;
  // Word ends are found with indexOf (a native scan), not a character at a
  // time: that loop was most of reading a large dump's words. The next tab,
  // quote and backslash (n: none) are looked up again only once passed.
  let tab = -1;
  let quote = -1;
  let backslash = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    const start = i;
    if (tab < i) tab = found(text.indexOf("\t", i), n);
    if (quote < i) quote = found(text.indexOf('"', i), n);
    const end = Math.min(found(text.indexOf(" ", i), n), tab, quote);
    if (end !== quote || quote === n) {
      words[count++] = { text: text.slice(start, end), quoted: false, line, column: column + start, length: end - start };
      i = end;
      continue;
    }
    // Taken in runs between escapes: a word built of one-character pieces would be kept as a chain of them.
    let value = text.slice(start, quote);
    let run = quote + 1;
    let from = run;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close === -1) return { unterminated: column + quote };
      if (backslash < from) backslash = found(text.indexOf("\\", from), n);
      if (backslash > close) {
        value += text.slice(run, close);
        i = close + 1;
        break;
      }
      value += text.slice(run, backslash);
      run = backslash + 1;
      from = backslash + 2;
    }
    words[count++] = { text: value, quoted: true, line, column: column + start, length: i - start };
  }
  return { words: words.slice(0, count) };
}

/** A line's words are gathered here and copied out at their number: an array grown by push is made anew as it grows. */
const gathered: Token[] = [];

/** indexOf's answer, with "none" as `n` (the text's length). */
function found(at: number, n: number): number {
  return at === -1 ? n : at;
}

const SPACE = 32;
const TAB = 9;
