import type { Assumptions } from "../engine/walk.js";
import { UsageError } from "./input.js";

/**
 * `--assume limit=match`, `--assume line:12=nomatch`: decisions for matches
 * nfwalk cannot evaluate, by extension name or by the rule's line.
 */
export function parseAssumptions(values: readonly string[]): Assumptions {
  const byExtension = new Map<string, boolean>();
  const byLine = new Map<number, boolean>();
  for (const value of values) {
    const m = /^(line:(\d+)|[a-z0-9_-]+)=(match|nomatch|no-match)$/i.exec(value);
    if (!m) throw new UsageError(`--assume "${value}": expected NAME=match|nomatch (e.g. limit=match) or line:N=match|nomatch`);
    const decision = m[3]!.toLowerCase() === "match";
    if (m[2] !== undefined) byLine.set(Number(m[2]), decision);
    else byExtension.set(m[1]!.toLowerCase(), decision);
  }
  return (rule, _unknown, extension) => byLine.get(rule.line) ?? byExtension.get(extension);
}
