/**
 * Where the parts of a snapshot stand in its file, so that a problem in an embedded dump
 * or `ip -json` section is reported at its line and column in the snapshot itself.
 * The text has already been read by parseJson, so these scans meet only valid JSON.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { lineColumn } from "../host/json.js";

/** The offset just past the JSON value that starts at `start`. */
export function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== "[" && first !== "{") return start + /^[^\s,\]}]*/.exec(text.slice(start, start + 64))![0].length;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = stringEnd(text, i) - 1;
    else if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && --depth === 0) return i + 1;
  }
  return text.length;
}

/** The offset just past the string literal whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** The opening-quote offsets of the strings of a JSON array of strings that starts at `start`. */
export function stringElementOffsets(text: string, start: number): number[] {
  const offsets: number[] = [];
  const end = valueEnd(text, start);
  for (let i = start + 1; i < end; i++) {
    if (text[i] === '"') {
      offsets.push(i);
      i = stringEnd(text, i) - 1;
    }
  }
  return offsets;
}

/** The text with everything outside [start, end) blanked, line ends kept: a JSON value in place. */
export function isolate(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

/**
 * Moves a diagnostic about line N, column C of the text a string array holds (one element
 * a line) to the file: the element's line, and the column of that character inside the
 * string literal, escapes counted.
 */
export function relocateToElement(d: Diagnostic, file: string, text: string, elements: readonly number[]): Diagnostic {
  const quote = d.span === undefined ? undefined : elements[d.span.line - 1];
  if (d.span === undefined || quote === undefined) return d;
  let raw = quote + 1;
  for (let decoded = 1; decoded < d.span.column && text[raw] !== '"'; decoded++) raw += text[raw] !== "\\" ? 1 : text[raw + 1] === "u" ? 6 : 2;
  const { line, column } = lineColumn(text, raw);
  return { ...d, span: { ...d.span, file, line, column } };
}
