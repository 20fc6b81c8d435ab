/**
 * Reads a dump's lines as iptables-restore sees them, one typed LineNode per
 * line. The syntax is line by line and small enough to read by hand:
 *
 *   Line     = Blank [Content] Blank ["\r"]        then "\n" or the end
 *   Content  = "#" text                          comment, to the end of the line
 *            | "*" [Word] (Gap Word)*             table
 *            | ":" [Word] (Gap Word)*             chain
 *            | "COMMIT"                           when a blank or the line's end follows
 *            | [Counters Gap] text                rule: its words split by splitWords
 *   Counters = "[" digits ":" digits "]"
 *   Word     = one or more characters but blank, "\r", "\n"
 *   Blank    = [ \t]*          Gap = [ \t]+
 *
 * A rule's text runs to the end of the line (its trailing blanks included),
 * so only table, chain and COMMIT lines have trailing blanks of their own.
 * A "\r" anywhere but before the line break is a syntax error, as is a rule
 * line that is only counters, and anything after COMMIT but blanks.
 * (A peggy grammar did this before; reading a line by hand takes a third of
 * its time and none of its per-line allocations.)
 */
import { error, type Diagnostic } from "../diag/index.js";
import { splitWords, type CountersNode, type LineContent, type LineNode, type Token } from "./syntax.js";

export type SyntaxResult = { readonly ok: true } | { readonly ok: false; readonly error: Diagnostic };

/**
 * A dump's text, whole or as consecutive pieces of it (a large file is read a
 * piece at a time): every piece but the last ends with a line break.
 */
export type DumpText = string | readonly string[];

/**
 * Reads a dump line by line, handing each typed line to `onLine` in order;
 * a syntax error stops the reading and becomes a positioned diagnostic.
 */
export function parseDumpSyntax(text: DumpText, file: string, onLine: (line: LineNode) => void): SyntaxResult {
  const pieces = typeof text === "string" ? [text] : text;
  let line = 1;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    // The break after a piece's last line separates it from the next piece's first.
    const end = i < pieces.length - 1 && piece.endsWith("\n") ? piece.length - 1 : piece.length;
    let start = 0;
    /** The next "\r" at or after `start` (found again once passed), or -1 when there is none. */
    let cr = piece.indexOf("\r");
    for (;;) {
      const lineBreak = piece.indexOf("\n", start);
      const lineEnd = lineBreak === -1 || lineBreak > end ? end : lineBreak;
      if (cr !== -1 && cr < start) cr = piece.indexOf("\r", start);
      const read = readLine(piece, start, cr !== -1 && cr < lineEnd ? cr : lineEnd, lineEnd, line);
      if (typeof read === "number") return { ok: false, error: syntaxError(piece, read, lineEnd, end, start, line, file) };
      if ("unterminated" in read) {
        const message = 'unterminated quoted string: a closing " is missing on this line';
        return { ok: false, error: error("syntax", message, { file, line, column: read.unterminated, length: 1 }) };
      }
      onLine(read);
      line++;
      if (lineEnd >= end) break;
      start = lineEnd + 1;
    }
  }
  return { ok: true };
}

/** The character (the line break, the end) where a line stops making sense. */
function syntaxError(text: string, at: number, lineEnd: number, end: number, lineStart: number, line: number, file: string): Diagnostic {
  const found = at < lineEnd ? JSON.stringify(text[at]) : at < end ? JSON.stringify("\n") : "end of input";
  return error("syntax", `unexpected ${found}`, { file, line, column: at - lineStart + 1, length: 1 });
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const STAR = 42;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const ZERO = 48;
const NINE = 57;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Past the blanks from `at`. */
function skipBlanks(text: string, at: number, end: number): number {
  while (at < end && isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** Past the word characters from `at`. */
function skipWord(text: string, at: number, end: number): number {
  while (at < end && !isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** Past the digits from `at`. */
function skipDigits(text: string, at: number, end: number): number {
  for (; at < end; at++) {
    const c = text.charCodeAt(at);
    if (c < ZERO || c > NINE) break;
  }
  return at;
}

/**
 * One line, text[start, end) without its "\n", whose text stops at its first
 * "\r" (`textEnd`): the node; or the offset of a syntax error; or where an
 * unterminated quote opened (a column).
 */
function readLine(text: string, start: number, textEnd: number, end: number, line: number): LineNode | number | { readonly unterminated: number } {
  const p = skipBlanks(text, start, textEnd);
  const column = p - start + 1;
  let content: LineContent | null = null;
  /** Where the content ends. */
  let after = p;
  const c = p < textEnd ? text.charCodeAt(p) : -1;
  if (c === HASH) {
    after = textEnd;
    content = { kind: "comment", text: text.slice(p + 1, after) };
  } else if (c === STAR || c === COLON) {
    const words = nameAndArgs(text, p + 1, textEnd, start, line);
    after = words.after;
    content = c === STAR ? { kind: "table", name: words.name, args: words.args, loc: { line, column } } : { kind: "chain", name: words.name, args: words.args, loc: { line, column } };
  } else if (c !== -1 && text.startsWith("COMMIT", p) && (p + 6 === textEnd || isBlank(text.charCodeAt(p + 6)))) {
    after = p + 6;
    content = { kind: "commit", loc: { line, column } };
  } else if (c !== -1) {
    let bodyStart = p;
    let counters: CountersNode | null = null;
    const afterCounters = c === OPEN_BRACKET ? countersEnd(text, p, textEnd) : -1;
    if (afterCounters !== -1 && afterCounters < textEnd && isBlank(text.charCodeAt(afterCounters))) {
      bodyStart = skipBlanks(text, afterCounters, textEnd);
      // Counters must be followed by the rule.
      if (bodyStart === textEnd) return bodyStart;
      const colon = text.indexOf(":", p);
      counters = { packets: BigInt(text.slice(p + 1, colon)), bytes: BigInt(text.slice(colon + 1, afterCounters - 1)), line, column };
    }
    after = textEnd;
    const split = splitWords(text.slice(bodyStart, after), line, bodyStart - start + 1);
    if ("unterminated" in split) return split;
    content = { kind: "rule", counters, args: split.words };
  }
  const trail = skipBlanks(text, after, textEnd);
  const crlf = trail === textEnd && textEnd + 1 === end;
  if (trail !== end && !crlf) return trail;
  return { line, content, leadingBlanks: p - start, trailingBlanks: trail - after, crlf };
}

/** The end of `[digits:digits]` at `at`, or -1. */
function countersEnd(text: string, at: number, end: number): number {
  const colon = skipDigits(text, at + 1, end);
  if (colon === at + 1 || colon >= end || text.charCodeAt(colon) !== COLON) return -1;
  const close = skipDigits(text, colon + 1, end);
  if (close === colon + 1 || close >= end || text.charCodeAt(close) !== CLOSE_BRACKET) return -1;
  return close + 1;
}

/** A table or chain line's words: the name right after `*` or `:`, then words separated by blanks. */
function nameAndArgs(text: string, at: number, end: number, lineStart: number, line: number): { name: Token | null; args: Token[]; after: number } {
  const word = (from: number, to: number): Token => ({ text: text.slice(from, to), quoted: false, line, column: from - lineStart + 1, length: to - from });
  const nameEnd = skipWord(text, at, end);
  const name = nameEnd > at ? word(at, nameEnd) : null;
  const args: Token[] = [];
  let after = nameEnd;
  for (;;) {
    const next = skipBlanks(text, after, end);
    if (next === after) break;
    const wordEnd = skipWord(text, next, end);
    if (wordEnd === next) break;
    args.push(word(next, wordEnd));
    after = wordEnd;
  }
  return { name, args, after };
}
