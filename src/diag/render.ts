import type { Diagnostic } from "./diagnostic.js";
import type { SourceText } from "./source.js";

/**
 * Renders a diagnostic the way compilers do:
 *
 *     rules.v4:12:7: error: unknown option "--dprot" [unknown-option]
 *        12 | -A INPUT --dprot 80 -j ACCEPT
 *           |          ^^^^^^^
 *
 * A long line is shown as the part around the caret, and control characters as escapes
 * (printable text only ever reaches the terminal).
 */
export function renderDiagnostic(d: Diagnostic, source?: SourceText): string {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column}: ` : "";
  const lines = [`${where}${d.severity}: ${d.message} [${d.code}]`];
  const text = d.span && source?.name === d.span.file ? source.lineText(d.span.line) : undefined;
  if (d.span && text !== undefined) {
    const gutter = String(d.span.line);
    const pad = " ".repeat(gutter.length);
    const caretAt = Math.max(0, d.span.column - 1);
    const width = Math.max(1, Math.min(d.span.length, text.length - caretAt));
    const shown = excerpt(text, caretAt, width);
    lines.push(` ${gutter} | ${shown.text}`);
    lines.push(` ${pad} | ${" ".repeat(shown.caretAt)}${"^".repeat(shown.width)}`);
  }
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  return printable(lines.join("\n"));
}

/** Characters of a source line shown before the caret and from it on, at most. */
const BEFORE = 60;
const FROM = 100;

/** The part of a line around [caretAt, caretAt + width) with control characters escaped, and where the caret falls in it. */
function excerpt(line: string, caretAt: number, width: number): { text: string; caretAt: number; width: number } {
  const start = Math.max(0, caretAt - BEFORE);
  const end = Math.min(line.length, caretAt + FROM);
  const head = start > 0 ? "…" : "";
  const tail = end < line.length ? "…" : "";
  const before = shownChars(line.slice(start, caretAt));
  const marked = shownChars(line.slice(caretAt, Math.min(end, caretAt + width)));
  return { text: head + before + shownChars(line.slice(caretAt, end)) + tail, caretAt: head.length + before.length, width: Math.max(1, marked.length) };
}

/** Tabs would shift the caret: shown as single blanks; other control characters as escapes. */
function shownChars(text: string): string {
  return printable(text.replace(/\t/g, " "));
}

// C0 controls but line break and tab, DEL, C1 controls, and the bidirectional overrides that reorder what a terminal shows.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Colour and style sequences (SGR), the only escape sequences nfwalk itself writes. */
const COLOUR = /(\x1b\[[0-9;]*m)/;

/**
 * Text for a terminal: as printable(), but nfwalk's own colours kept. A file's colour codes would pass too;
 * they only change colours, while every sequence that moves the cursor, clears the screen or sets the title
 * is escaped.
 */
export function printableKeepingColour(text: string): string {
  return text
    .split(COLOUR)
    .map((part, i) => (i % 2 === 1 ? part : printable(part)))
    .join("");
}

/** The text with every control character (ESC included) but line break and tab written as an escape such as `\x1b`. */
export function printable(text: string): string {
  return text.replace(CONTROL, escapedChar);
}

/** One character (a UTF-16 unit) as an escape: `\x1b`, `\u202e`. */
export function escapedChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
