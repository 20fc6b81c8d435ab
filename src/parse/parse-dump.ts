import { error, type Diagnostic } from "../diag/index.js";
import { parse as peggyParse, type SyntaxError as PeggySyntaxError } from "./generated/iptables-save.js";
import { syntaxHelpers, type LineNode } from "./syntax.js";

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
  let firstLine = 1;
  const take = (line: LineNode) => {
    firstLine = line.line + 1;
    onLine(line);
  };
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    // The break after a piece's last line separates it from the next piece's first.
    const lines = i < pieces.length - 1 && piece.endsWith("\n") ? piece.slice(0, -1) : piece;
    const error = parsePiece(lines, file, firstLine, take);
    if (error) return { ok: false, error };
  }
  return { ok: true };
}

function parsePiece(text: string, file: string, firstLine: number, onLine: (line: LineNode) => void): Diagnostic | undefined {
  try {
    peggyParse(text, { grammarSource: file, helpers: syntaxHelpers, onLine, firstLine });
    return undefined;
  } catch (e) {
    if (!isPeggySyntaxError(e)) throw e;
    const { start, end } = e.location;
    return error("syntax", syntaxMessage(e), {
      file,
      line: start.line + firstLine - 1,
      column: start.column,
      length: Math.max(1, end.offset - start.offset),
    });
  }
}

function isPeggySyntaxError(e: unknown): e is PeggySyntaxError {
  return e instanceof Error && e.name === "SyntaxError" && "location" in e;
}

/** peggy lists every token it could have taken; a dump's author wants the gist. */
function syntaxMessage(e: PeggySyntaxError): string {
  if (e.expected === null) return e.message;
  const found = e.found === null ? "end of input" : JSON.stringify(e.found);
  return `unexpected ${found}`;
}
