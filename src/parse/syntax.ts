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
  | { readonly kind: "rule"; readonly counters: CountersNode | null; readonly words: RuleWords };

export interface LineNode {
  readonly line: number;
  readonly content: LineContent | null;
  /** Blanks before the content; iptables-restore itself wants none. */
  readonly leadingBlanks: number;
  readonly trailingBlanks: number;
  readonly crlf: boolean;
}

/**
 * A rule line's words, kept as where each stands in the line's text. A large
 * dump has millions of words and most (-A, -m NAME, -j NAME, addresses) are
 * read once and dropped: the rule parser reads them here, and makes a Token
 * only of a word an extension receives or a diagnostic points at.
 */
export class RuleWords {
  constructor(
    /** The text the words are in. */
    private readonly source: string,
    /**
     * Each word's start and end in `source`, quotes included: two numbers a word. A quoted
     * word's end is stored negated, so that whether a word is quoted (asked of nearly every
     * word, often several times) is one look rather than a search of `quotes`.
     */
    private readonly bounds: readonly number[],
    /**
     * The quoted words' texts, each after its index (`[index, text, …]`: a line has one
     * or two, and an array by index would hold room for every word); undefined when none.
     */
    private readonly quotes: readonly (number | string)[] | undefined,
    readonly line: number,
    /** What makes a place in `source` a column of the line (the line need not start `source`). */
    private readonly firstColumn: number,
  ) {}

  get count(): number {
    return this.bounds.length >> 1;
  }

  text(i: number): string {
    return this.quoted(i) ? this.quotedText(i) : this.source.slice(this.bounds[2 * i], this.bounds[2 * i + 1]);
  }

  /** The word was (partly) written in double quotes. */
  quoted(i: number): boolean {
    return this.bounds[2 * i + 1]! < 0;
  }

  column(i: number): number {
    return this.firstColumn + this.bounds[2 * i]!;
  }

  /** Characters the word takes in the source, quotes included. */
  length(i: number): number {
    return Math.abs(this.bounds[2 * i + 1]!) - this.bounds[2 * i]!;
  }

  /** The word's text is `text`: compared in place, without taking the text out. */
  is(i: number, text: string): boolean {
    if (this.quoted(i)) return this.quotedText(i) === text;
    return this.length(i) === text.length && this.source.startsWith(text, this.bounds[2 * i]);
  }

  /** The code of character `k` of a word written without quotes (NaN past its end). */
  charCodeAt(i: number, k: number): number {
    return k < this.length(i) ? this.source.charCodeAt(this.bounds[2 * i]! + k) : Number.NaN;
  }

  /** The word as a token; `text` when the caller has taken it out already. */
  token(i: number, text = this.text(i)): Token {
    return { text, quoted: this.quoted(i), line: this.line, column: this.column(i), length: this.length(i) };
  }

  tokens(): Token[] {
    const tokens: Token[] = [];
    for (let i = 0; i < this.count; i++) tokens.push(this.token(i));
    return tokens;
  }

  /** The same line less `n` words from word `from` on (`iptables -S -v` puts counters among a rule's words). */
  without(from: number, n: number): RuleWords {
    const bounds = [...this.bounds.slice(0, 2 * from), ...this.bounds.slice(2 * (from + n))];
    const quotes: (number | string)[] = [];
    const given = this.quotes ?? [];
    for (let k = 0; k < given.length; k += 2) {
      const at = given[k] as number;
      if (at < from || at >= from + n) quotes.push(at < from ? at : at - n, given[k + 1]!);
    }
    return new RuleWords(this.source, bounds, quotes.length === 0 ? undefined : quotes, this.line, this.firstColumn);
  }

  /** A quoted word's text. */
  private quotedText(i: number): string {
    const quotes = this.quotes!;
    let k = 0;
    while (quotes[k] !== i) k += 2;
    return quotes[k + 1] as string;
  }
}

/** The node builders the grammar's actions call (handed over as a parser option). */
export const syntaxHelpers = {
  wordReader: (text: string) => new WordReader(text),
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

/** A quote opened at this column is not closed on the line. */
export interface Unterminated {
  readonly unterminated: number;
}

/**
 * A rule line's words, as iptables-restore's add_param_to_argv splits them:
 * blanks separate words; `"` opens a quoted part in which a backslash takes
 * the next character literally; the closing quote ends the word (a word may
 * start bare and end quoted: `a"b c"` is `ab c`). `column` is where `text`
 * starts. Trailing blanks are dropped; an unterminated quote is reported
 * with the column of its opening `"`.
 */
export function splitWords(text: string, line: number, column: number): RuleWords | Unterminated {
  return new WordReader(text).words(line, column, 0, text.length);
}

/**
 * Splits the rule lines of one text (a whole dump) in order, reading each in
 * the text itself: no line is cut out of it, and the next tab, quote and
 * backslash are looked for once for all the lines before them, not once a line.
 */
export class WordReader {
  // Where the next tab, quote and backslash are (the text's length: none), found
  // from a place at or before where the current line is read; looked for again once passed.
  private tab = -1;
  private quote = -1;
  private backslash = -1;

  constructor(private readonly text: string) {}

  /** The words of the line from `from` to `to` (a line break or the text's end), which starts at `column`; lines come in order. */
  words(line: number, column: number, from: number, to: number): RuleWords | Unterminated {
    const text = this.text;
    const bounds = gathered;
    let count = 0;
    let quotes: (number | string)[] | undefined;
    const n = text.length;
    // Word ends are found with indexOf (a native scan), not a character at a time:
    // that loop was most of reading a large dump's words.
    let i = from;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) {
        i++;
        continue;
      }
      const start = i;
      if (this.tab < i) this.tab = found(text.indexOf("\t", i), n);
      if (this.quote < i) this.quote = found(text.indexOf('"', i), n);
      const quote = this.quote;
      // The last word's space is on a later line, or nowhere.
      const end = Math.min(found(text.indexOf(" ", i), n), this.tab, quote, to);
      if (end !== quote || quote === n) {
        bounds[2 * count] = start;
        bounds[2 * count++ + 1] = end;
        i = end;
        continue;
      }
      // Taken in runs between escapes: a word built of one-character pieces would be kept as a chain of them.
      let value = text.slice(start, quote);
      let run = quote + 1;
      let seek = run;
      for (;;) {
        const close = found(text.indexOf('"', seek), n);
        if (close >= to) return { unterminated: column + quote - from };
        if (this.backslash < seek) this.backslash = found(text.indexOf("\\", seek), n);
        if (this.backslash > close) {
          value += text.slice(run, close);
          i = close + 1;
          break;
        }
        value += text.slice(run, this.backslash);
        run = this.backslash + 1;
        seek = this.backslash + 2;
      }
      if (quotes === undefined) quotes = [count, value];
      else quotes.push(count, value);
      bounds[2 * count] = start;
      bounds[2 * count++ + 1] = -i;
    }
    return new RuleWords(text, bounds.slice(0, 2 * count), quotes, line, column - from);
  }
}

/** A line's word bounds are gathered here and copied out at their number: an array grown by push is made anew as it grows. */
const gathered: number[] = [];

/** indexOf's answer, with "none" as `n` (the text's length). */
function found(at: number, n: number): number {
  return at === -1 ? n : at;
}

const SPACE = 32;
const TAB = 9;
