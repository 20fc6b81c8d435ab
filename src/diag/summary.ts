/**
 * Many warnings at once (a large dump with one warning per rule gives thousands) hide what
 * matters: shown whole are every error and the first few warnings of each kind, with a count
 * per kind for the rest.
 */
import type { Diagnostic } from "./diagnostic.js";

/** Warnings shown whole at most; up to this many, all of them are. */
export const WARNINGS_SHOWN = 10;
/** Warnings of one code shown whole at most, so that other codes get examples too. */
const SHOWN_PER_CODE = 3;

export interface DiagnosticSummary {
  /** In their order: every error and the warnings chosen as examples. */
  readonly shown: readonly Diagnostic[];
  /** How many warnings there are, and how many of them `shown` leaves out. */
  readonly warnings: number;
  readonly omitted: number;
  /** Warnings per code, the most frequent first. */
  readonly perCode: readonly { readonly code: string; readonly count: number }[];
}

export function summariseDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticSummary {
  const counts = new Map<string, number>();
  for (const d of diagnostics) if (d.severity === "warning") counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  const warnings = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const perCode = [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  if (warnings <= WARNINGS_SHOWN) return { shown: diagnostics, warnings, omitted: 0, perCode };
  const shownOfCode = new Map<string, number>();
  let shownWarnings = 0;
  const shown = diagnostics.filter((d) => {
    if (d.severity === "error") return true;
    const ofCode = shownOfCode.get(d.code) ?? 0;
    if (ofCode >= SHOWN_PER_CODE || shownWarnings >= WARNINGS_SHOWN) return false;
    shownOfCode.set(d.code, ofCode + 1);
    shownWarnings++;
    return true;
  });
  return { shown, warnings, omitted: warnings - shownWarnings, perCode };
}

/** The warnings per code in one line: `885 warnings (censored-mac 880, old-negation 5)`. */
export function warningCounts(summary: DiagnosticSummary): string {
  return `${summary.warnings} warning${summary.warnings === 1 ? "" : "s"} (${summary.perCode.map((c) => `${c.code} ${c.count}`).join(", ")})`;
}
