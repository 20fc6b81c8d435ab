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
  // One parse of the whole text: peggy makes its rule functions anew on every
  // call, so a parse per piece had V8 drop and redo their optimised code each
  // time (the reading took half again as long).
  const whole = typeof text === "string" ? text : text.join("");
  try {
    peggyParse(whole, { grammarSource: file, helpers: syntaxHelpers, onLine });
    return { ok: true };
  } catch (e) {
    if (!isPeggySyntaxError(e)) throw e;
    const { start, end } = e.location;
    return {
      ok: false,
      error: error("syntax", syntaxMessage(e), { file, line: start.line, column: start.column, length: Math.max(1, end.offset - start.offset) }),
    };
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
