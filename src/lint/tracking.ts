/**
 * A rule may matter although it never decides a packet: loading a rule whose extension
 * needs connection tracking (or defragmentation alone: socket, TPROXY) turns it on for
 * the whole host (engine/conntrack-use.ts), which changes what every packet meets — a
 * lone later fragment, for one, then waits for reassembly. Taking out the only such rule
 * turns it off again, so that rule is never redundant.
 */
import type { Rule, Ruleset } from "../ruleset/types.js";

interface Needs {
  readonly conntrack: boolean;
  readonly defrag: boolean;
}

function needsOf(rule: Rule): Needs {
  const uses = rule.action?.kind === "target" ? [...rule.matches, rule.action.target] : rule.matches;
  const conntrack = uses.some((u) => u.extension.tracksConnections?.(u.options) === true);
  return { conntrack, defrag: conntrack || uses.some((u) => u.extension.defragments === true) };
}

/** Whether taking the rule out could turn connection tracking or defragmentation off. */
export function keepsTrackingOn(ruleset: Ruleset): (rule: Rule) => boolean {
  let conntrackRules = 0;
  let defragRules = 0;
  for (const table of ruleset.tables)
    for (const chain of table.chains)
      for (const rule of chain.rules) {
        const needs = needsOf(rule);
        if (needs.conntrack) conntrackRules++;
        if (needs.defrag) defragRules++;
      }
  return (rule) => {
    const needs = needsOf(rule);
    return (needs.conntrack && conntrackRules === 1) || (needs.defrag && defragRules === 1);
  };
}
