/**
 * Decisions for matches nfwalk cannot evaluate, in the command's `--assume` syntax:
 * by extension (`limit=match`) or by the rule's line in the dump (`line:12=nomatch`).
 */
import type { Assumptions } from "../engine/walk.js";

export type AssumptionsResult = { readonly ok: true; readonly assume: Assumptions } | { readonly ok: false; readonly message: string };

/** Reads `NAME=match|nomatch` and `line:N=match|nomatch` decisions; a decision by line wins over one by extension. */
export function parseAssumptions(values: readonly string[]): AssumptionsResult {
  const byExtension = new Map<string, boolean>();
  const byLine = new Map<number, boolean>();
  for (const value of values) {
    const m = /^(line:(\d+)|[a-z0-9_-]+)=(match|nomatch|no-match)$/i.exec(value);
    if (!m) return { ok: false, message: `"${value}": expected NAME=match|nomatch (e.g. limit=match) or line:N=match|nomatch` };
    const decision = m[3]!.toLowerCase() === "match";
    if (m[2] !== undefined) byLine.set(Number(m[2]), decision);
    else byExtension.set(m[1]!.toLowerCase(), decision);
  }
  return { ok: true, assume: (rule, _unknown, extension) => byLine.get(rule.line) ?? byExtension.get(extension) };
}
