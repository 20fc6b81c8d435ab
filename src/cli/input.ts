import { renderDiagnostic, SourceText, type Diagnostic } from "../diag/index.js";
import { parseRuleset, type LoadResult } from "../ruleset/load.js";
import type { Family } from "../model/types.js";
import type { Parsed } from "../host/index.js";
import type { LoadedSnapshot } from "../snapshot/index.js";
import type { CliIO } from "./io.js";

/** Thrown by the CLI layer only: a user error already rendered, exit code 2. */
export class UsageError extends Error {}

export async function readInput(io: CliIO, path: string, inPieces = false): Promise<SourceText> {
  try {
    return new SourceText(path, inPieces ? await io.readPieces(path) : await io.readFile(path));
  } catch (e) {
    const reason = e instanceof Error && "code" in e && e.code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e);
    throw new UsageError(`${path}: cannot read: ${reason}`);
  }
}

/** Loads a dump; prints its diagnostics to stderr; throws UsageError on errors. */
export async function loadRules(io: CliIO, path: string, family?: Family): Promise<Extract<LoadResult, { ok: true }>> {
  const source = await readInput(io, path, true);
  const result = parseRuleset(source.pieces, { file: path, ...(family && { family }) });
  printDiagnostics(io, result.diagnostics, source);
  if (!result.ok) {
    const count = result.diagnostics.filter((d) => d.severity === "error").length;
    throw new UsageError(`${path}: ${count} error${count === 1 ? "" : "s"}; nothing was loaded`);
  }
  return result;
}

export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], source: SourceText): void {
  for (const d of diagnostics) io.stderr(renderDiagnostic(d, source) + "\n");
}

/** The parsed value, or its diagnostics printed and a UsageError naming `what`. */
export function orFail<T>(io: CliIO, parsed: Parsed<T>, source: SourceText, what: string): T {
  if (parsed.ok) return parsed.value;
  printDiagnostics(io, parsed.diagnostics, source);
  throw new UsageError(`${what}: cannot be used`);
}

/** The snapshot file's text, which diagnostics about its sections point into. */
export const sourceOf = (snapshot: LoadedSnapshot): SourceText => new SourceText(snapshot.file, snapshot.fileText);
