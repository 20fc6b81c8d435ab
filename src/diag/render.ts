import type { Diagnostic } from "./diagnostic.js";
import type { SourceText } from "./source.js";

/**
 * Renders a diagnostic the way compilers do:
 *
 *     rules.v4:12:7: error: unknown option "--dprot" [unknown-option]
 *        12 | -A INPUT --dprot 80 -j ACCEPT
 *           |          ^^^^^^^
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
    lines.push(` ${gutter} | ${visible(text)}`);
    lines.push(` ${pad} | ${" ".repeat(caretAt)}${"^".repeat(width)}`);
  }
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

/** Tabs would shift the caret; show them as single blanks. */
function visible(line: string): string {
  return line.replace(/\t/g, " ");
}
