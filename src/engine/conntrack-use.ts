/**
 * Whether the kernel tracks connections in the host at all. Since Linux 4.10 conntrack's
 * hooks are registered in a network namespace only while something there needs them: a
 * loaded rule whose extension asks for it (a conntrack, state or connmark match, a NAT,
 * CT or CONNMARK target, …; see `tracksConnections` on the extensions), whether or not any
 * packet can reach the rule. Without it no packet has a conntrack entry, so the nat chains
 * see no packet and nothing is NATed, and no defragmentation holds later fragments back
 * unless a rule asks for defragmentation alone (socket, TPROXY).
 *
 * Something outside the dump can need conntrack too (an nft table, Open vSwitch, IPVS, the
 * other family's rules do not count): the user says so with `--assume conntrack=on`.
 */
import type { MatchUse, Rule, Ruleset, TargetUse } from "../ruleset/types.js";
import type { ConntrackUse } from "./types.js";

export type { ConntrackUse };

/**
 * What is known about conntrack beyond the rules, overriding their answer where the kernel
 * allows it: `on` when something outside them needs it. `source` says who knows, for the
 * trace (`--assume conntrack=on`, a snapshot's count of tracked connections).
 */
export interface ConntrackAssumption {
  readonly on: boolean;
  readonly source: string;
}

interface RuleNeeds {
  /** The answer when a rule turns conntrack on: no assumption changes it. */
  readonly conntrack?: ConntrackUse;
  readonly defrag: boolean;
}

/** Per ruleset, worked out once: a batch traces thousands of packets through the same rules. */
const needsOf = new WeakMap<Ruleset, RuleNeeds>();

/** The first rule that turns conntrack on, if any (for refusing an assumption the kernel cannot have). */
export function conntrackUser(ruleset: Ruleset): ConntrackUse["user"] {
  return conntrackUse(ruleset).user;
}

export function conntrackUse(ruleset: Ruleset, assumption?: ConntrackAssumption): ConntrackUse {
  const needs = needsOf.get(ruleset) ?? scan(ruleset);
  needsOf.set(ruleset, needs);
  if (needs.conntrack) return needs.conntrack;
  if (assumption?.on) {
    return { active: true, defragments: true, assumed: true, reason: `connection tracking runs although no rule needs it: ${assumption.source}` };
  }
  const reason =
    "connection tracking is off: no rule needs it (no conntrack, state or connmark match, no NAT, CT or CONNMARK target), so the kernel does not run it; nat chains see no packet and nothing is NATed";
  return { active: false, defragments: needs.defrag, assumed: assumption !== undefined, reason: assumption ? `${reason} (${assumption.source})` : reason };
}

function ruleText(user: { readonly rule: Rule; readonly extension: string }): string {
  const { rule, extension } = user;
  const how = rule.action?.kind === "target" && rule.action.target.extension.name === extension ? `-j ${extension}` : `-m ${extension}`;
  return `${rule.table} ${rule.chain} rule ${rule.number} (line ${rule.line}, ${how})`;
}

function scan(ruleset: Ruleset): RuleNeeds {
  let defrag = false;
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        for (const use of rule.matches) {
          if (tracks(use)) return ruledOn(rule, use.extension.name);
          defrag ||= use.extension.defragments === true;
        }
        if (rule.action?.kind === "target") {
          const target = rule.action.target;
          if (tracks(target)) return ruledOn(rule, target.extension.name);
          defrag ||= target.extension.defragments === true;
        }
      }
    }
  }
  return { defrag };
}

/** Conntrack runs because of `rule`: the kernel cannot load it without, so an "off" assumption cannot hold. */
function ruledOn(rule: Rule, extension: string): RuleNeeds {
  const user = { rule, extension };
  return { conntrack: { active: true, defragments: true, assumed: false, user, reason: `connection tracking runs: ${ruleText(user)} turns it on` }, defrag: true };
}

function tracks(use: MatchUse | TargetUse): boolean {
  return use.extension.tracksConnections?.(use.options) === true;
}
