import { parseRuleset, renderDiagnostic, SourceText, summariseDiagnostics, warningCounts, type Diagnostic, type Family, type LoadedSnapshot, type LoadResult, type Parsed } from "../index.js";
import type { CliIO } from "./io.js";
import { formatSize, InputRefused, InputTooLarge } from "./text-check.js";

/** Thrown by the CLI layer only: a user error, exit code 2; its message is printed unless it is empty (already said). */
export class UsageError extends Error {}

/**
 * The kinds of file nfwalk reads and the size each may have (README, "Input limits"): several
 * times the largest real one, so that a wrong file (`/dev/zero`, a disk image) is refused at
 * once instead of filling the memory. `--max-input SIZE` raises them all.
 */
export const INPUT_LIMITS = {
  /** iptables-save output: a Kubernetes node with 20,000 service ports (twice the largest cluster Kubernetes supports) prints 26 MB. */
  rules: 64 << 20,
  /** A snapshot holds the dumps and the JSON below. */
  snapshot: 96 << 20,
  /** `ip -json addr` / `ip -json route`. */
  "ip-json": 16 << 20,
  /** `docker inspect` / `docker network inspect`. */
  docker: 64 << 20,
  /** `ipset save`. */
  ipset: 64 << 20,
  /** `trace --batch`: one JSON packet a line. */
  batch: 64 << 20,
  /** `check`'s EXPECTATIONS.yaml: a few hundred bytes an expectation. */
  expectations: 16 << 20,
} as const;
export type InputKind = keyof typeof INPUT_LIMITS;

export async function readInput(io: CliIO, path: string, kind: InputKind): Promise<SourceText> {
  const maxBytes = io.maxInput ?? INPUT_LIMITS[kind];
  try {
    return new SourceText(path, kind === "rules" ? await io.readPieces(path, maxBytes) : await io.readFile(path, maxBytes));
  } catch (e) {
    if (e instanceof InputRefused) {
      const where = e.at === undefined ? path : `${path}:${e.at.line}:${e.at.column}`;
      throw new UsageError(`${where}: ${e.message}`);
    }
    if (e instanceof InputTooLarge) {
      throw new UsageError(`${path}: larger than ${formatSize(e.maxBytes)}, the limit for ${KIND_NAMES[kind]} (--max-input SIZE raises it)`);
    }
    const reason = e instanceof Error && "code" in e && e.code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e);
    throw new UsageError(`${path}: cannot read: ${reason}`);
  }
}

const KIND_NAMES: Readonly<Record<InputKind, string>> = {
  rules: "an iptables-save dump",
  snapshot: "a snapshot",
  "ip-json": "ip -json output",
  docker: "docker inspect output",
  ipset: "ipset save output",
  batch: "a --batch file",
  expectations: "an expectations file",
};

/** The limits as the README and `--help` state them. */
export const describeLimits = (): string => (Object.keys(INPUT_LIMITS) as InputKind[]).map((k) => `${KIND_NAMES[k]} ${formatSize(INPUT_LIMITS[k])}`).join(", ");

/** Loads a dump; prints its diagnostics to stderr; throws UsageError on errors. */
export async function loadRules(io: CliIO, path: string, family?: Family): Promise<Extract<LoadResult, { ok: true }>> {
  const source = await readInput(io, path, "rules");
  // Whole: the syntax stage reads a dump in one go (see parseDumpSyntax).
  const result = parseRuleset(source.text, { file: path, ...(family && { family }) });
  if (!result.ok && result.otherOutput) {
    // Another command's output: the one line that says which command to run is all the user needs.
    io.stderr(result.diagnostics.map((d) => renderDiagnostic(d)).join("\n") + "\n");
    throw new UsageError();
  }
  printDiagnostics(io, result.diagnostics, source);
  if (!result.ok) {
    const count = result.diagnostics.filter((d) => d.severity === "error").length;
    throw new UsageError(`${path}: ${count} error${count === 1 ? "" : "s"}; nothing was loaded`);
  }
  return result;
}

/** Prints diagnostics about `source`: all of them with --verbose, else every error and some of many warnings, with a count of each kind. */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], source: SourceText): void {
  const summary = io.verbose ? undefined : summariseDiagnostics(diagnostics);
  for (const d of summary?.shown ?? diagnostics) io.stderr(renderDiagnostic(d, source) + "\n");
  if (summary && summary.omitted > 0) {
    io.stderr(`nfwalk: ${source.name}: ${warningCounts(summary)}; ${summary.omitted} not shown: --verbose prints them all\n`);
  }
}

/** The parsed value, or its diagnostics printed and a UsageError naming `what`. */
export function orFail<T>(io: CliIO, parsed: Parsed<T>, source: SourceText, what: string): T {
  if (parsed.ok) return parsed.value;
  printDiagnostics(io, parsed.diagnostics, source);
  throw new UsageError(`${what}: cannot be used`);
}

/** The snapshot file's text, which diagnostics about its sections point into. */
export const sourceOf = (snapshot: LoadedSnapshot): SourceText => new SourceText(snapshot.file, snapshot.fileText);
