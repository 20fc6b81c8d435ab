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
  const words: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && !isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== QUOTE) i++;
    if (i >= text.length || text.charCodeAt(i) !== QUOTE) {
      words.push({ text: text.slice(start, i), quoted: false, line, column: column + start, length: i - start });
      continue;
    }
    const open = i;
    let value = text.slice(start, i);
    i++;
    // Taken in runs between escapes, not character by character: a word built
    // of one-character pieces would be kept as a chain of them.
    let run = i;
    let closed = false;
    while (i < text.length) {
      const q = text.charCodeAt(i);
      if (q === QUOTE) {
        value += text.slice(run, i);
        closed = true;
        i++;
        break;
      }
      if (q === BACKSLASH && i + 1 < text.length) {
        value += text.slice(run, i);
        run = i + 1;
        i += 2;
        continue;
      }
      i++;
    }
    if (!closed) return { unterminated: column + open };
    words.push({ text: value, quoted: true, line, column: column + start, length: i - start });
  }
  return { words };
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
