/**
 * Decisions for matches nfwalk cannot evaluate, in the command's `--assume` syntax:
 * by extension (`limit=match`) or by the rule's line in the dump (`line:12=nomatch`).
 */
import { conntrackUser, type ConntrackAssumption } from "../engine/conntrack-use.js";
import type { Assumptions } from "../engine/walk.js";
import type { Ruleset } from "../ruleset/types.js";

/** The decisions, or what is wrong with the first value that is not one. */
export type AssumptionsResult =
  | {
      readonly ok: true;
      readonly assume: Assumptions;
      /** From `conntrack=on|off` (the last one given): whether the host tracks connections beyond what the rules need. */
      readonly conntrack?: ConntrackAssumption;
    }
  | { readonly ok: false; readonly message: string };

/**
 * Reads `NAME=match|nomatch` and `line:N=match|nomatch` decisions; a decision by line wins over one by extension.
 * Given the ruleset, a name no rule uses and a line without a rule are refused (a typo would otherwise leave
 * the answer undecided without a word), the message listing the matches the rules use.
 * `conntrack=on` says something outside the rules needs connection tracking (an nft table, IPVS, Open vSwitch);
 * given the ruleset, `conntrack=off` is refused when a rule turns it on (the kernel cannot load that rule without).
 */
export function parseAssumptions(values: readonly string[], ruleset?: Ruleset): AssumptionsResult {
  const byExtension = new Map<string, boolean>();
  const byLine = new Map<number, boolean>();
  // Only when there is something to check: on a dump of 100k+ rules the scan takes a tenth of a second.
  const used = ruleset && values.length > 0 ? usedMatches(ruleset) : undefined;
  let conntrack: ConntrackAssumption | undefined;
  for (const value of values) {
    const tracking = /^conntrack=(on|off)$/i.exec(value);
    if (tracking) {
      const on = tracking[1]!.toLowerCase() === "on";
      const user = !on && ruleset ? conntrackUser(ruleset) : undefined;
      if (user) {
        const { rule, extension } = user;
        return { ok: false, message: `"${value}": ${ruleset!.file}:${rule.line} (${rule.table} ${rule.chain}, ${extension}) turns connection tracking on; the kernel cannot load it without` };
      }
      conntrack = { on, source: `--assume ${value.toLowerCase()}` };
      continue;
    }
    const m = /^(line:(\d+)|[a-z0-9_-]+)=(match|nomatch|no-match)$/i.exec(value);
    if (!m) return { ok: false, message: `"${value}": expected NAME=match|nomatch (e.g. limit=match), line:N=match|nomatch or conntrack=on|off` };
    const decision = m[3]!.toLowerCase() === "match";
    if (m[2] !== undefined) {
      const line = Number(m[2]);
      if (used && !used.lines.has(line)) return { ok: false, message: `"${value}": ${ruleset!.file} has no rule on line ${line}` };
      byLine.set(line, decision);
      continue;
    }
    const name = m[1]!.toLowerCase();
    if (used && !used.names.has(name)) {
      const names = [...used.names].sort().join(", ");
      return { ok: false, message: `"${value}": no rule of ${ruleset!.file} uses "${name}"; ${names === "" ? "its rules use no -m match" : `its rules use ${names}`} (or say line:N for one rule)` };
    }
    byExtension.set(name, decision);
  }
  return { ok: true, assume: (rule, _unknown, extension) => byLine.get(rule.line) ?? byExtension.get(extension.toLowerCase()), ...(conntrack && { conntrack }) };
}

/** The lowercased names of the matches the rules use (what can be unknown), and the rules' lines. */
function usedMatches(ruleset: Ruleset): { names: Set<string>; lines: Set<number> } {
  const names = new Set<string>();
  const lines = new Set<number>();
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        lines.add(rule.line);
        for (const use of rule.matches) names.add(use.extension.name.toLowerCase());
      }
    }
  }
  return { names, lines };
}
