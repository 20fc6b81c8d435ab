/**
 * The rules that would have changed the outcome: the ACCEPT rule closest to
 * letting a blocked packet through, and the DNAT rule (a published port) that
 * did not rewrite a packet aimed at its port. Each is evaluated condition by
 * condition against the packet where that rule would have seen it.
 */
import type { MatchEnv } from "../ext/semantics.js";
import type { NatRange } from "../ext/semantics.js";
import type { Hook, TableName } from "../model/types.js";
import type { Chain, Rule, Ruleset, Table } from "../ruleset/types.js";
import { formatEndpoint } from "../packet/format.js";
import type { Step } from "../engine/types.js";
import { ruleConditions, type Condition } from "./conditions.js";
import type { NearMiss } from "./types.js";
import { ruleRef } from "./refs.js";

export type EnvAt = (hook: Hook, table: TableName) => MatchEnv;

const targetName = (rule: Rule): string | undefined => (rule.action?.kind === "target" ? rule.action.target.extension.name : rule.action?.chain);

/** The chains a packet can reach from a built-in chain, depth first in rule order, each once. */
export function reachableRules(table: Table, start: string): Rule[] {
  const seen = new Set<string>();
  const rules: Rule[] = [];
  const visit = (chain: Chain | undefined) => {
    if (!chain || seen.has(chain.name)) return;
    seen.add(chain.name);
    for (const rule of chain.rules) {
      rules.push(rule);
      if (rule.action?.kind === "jump" || rule.action?.kind === "goto") visit(table.chainsByName.get(rule.action.chain));
    }
  };
  visit(table.chainsByName.get(start));
  return rules;
}

const failing = (conditions: readonly Condition[]) => conditions.filter((c) => c.result !== "holds").length;
const holding = (conditions: readonly Condition[]) => conditions.length - failing(conditions);

/**
 * The ACCEPT rule with the fewest failing conditions (then the most holding
 * ones) at the hook and table that blocked the packet: in the blocking chain
 * when it has one, else in any chain reachable there.
 */
export function nearestAccept(ruleset: Ruleset, hook: Hook, tableName: TableName, blockedIn: string, blocker: string, env: MatchEnv): NearMiss | undefined {
  const table = ruleset.tablesByName.get(tableName);
  if (!table) return undefined;
  const candidates = reachableRules(table, hook)
    .filter((rule) => targetName(rule) === "ACCEPT")
    .map((rule) => ({ rule, conditions: ruleConditions(rule, env, ruleset.family) }));
  const own = candidates.filter((c) => c.rule.chain === blockedIn);
  const best = (own.length > 0 ? own : candidates).sort((a, b) => failing(a.conditions) - failing(b.conditions) || holding(b.conditions) - holding(a.conditions))[0];
  if (!best) return undefined;
  const allHold = failing(best.conditions) === 0;
  return {
    wouldHave: "accepted it",
    rule: ruleRef(ruleset, best.rule, hook),
    conditions: best.conditions.map((c) => ({ ...c, of: "rule" as const })),
    ...(allHold && { note: `every condition holds, but ${blocker} decides first` }),
  };
}

/**
 * A DNAT rule for the packet's protocol and destination port that did not
 * fire, with the conditions of the jump that leads to its chain.
 */
export function missedDnat(ruleset: Ruleset, hook: "PREROUTING" | "OUTPUT", env: MatchEnv, steps: readonly Step[]): NearMiss | undefined {
  const table = ruleset.tablesByName.get("nat");
  if (!table) return undefined;
  for (const rule of reachableRules(table, hook)) {
    if (targetName(rule) !== "DNAT") continue;
    const own = ruleConditions(rule, env, ruleset.family);
    if (!own.some((c) => c.text.includes("--dport") && c.result === "holds")) continue;
    const jump = table.chainsByName.get(hook)?.rules.find((r) => r.action?.kind !== "target" && r.action?.chain === rule.chain);
    const jumpConditions = jump ? ruleConditions(jump, env, ruleset.family) : [];
    const conditions = [...jumpConditions.map((c) => ({ ...c, of: "jump" as const })), ...own.map((c) => ({ ...c, of: "rule" as const }))];
    const returned = steps.find((s) => s.type === "rule" && s.table === "nat" && s.chain === rule.chain && s.target === "RETURN" && s.rule < rule.number);
    const note = failing(conditions) === 0 && returned?.type === "rule" ? `every condition holds, but rule ${returned.rule} of nat ${rule.chain} (line ${returned.line}) returns first` : undefined;
    return { wouldHave: `sent it to ${dnatDestination(rule)}`, rule: ruleRef(ruleset, rule, hook), conditions, ...(note && { note }) };
  }
  return undefined;
}

function dnatDestination(rule: Rule): string {
  const range = (rule.action?.kind === "target" ? rule.action.target.options : {}) as NatRange;
  const a = range.addresses;
  if (!a) return "another port";
  const address = a.family === "ipv4" ? { family: "ipv4" as const, value: a.min } : { family: "ipv6" as const, value: a.min };
  return formatEndpoint(address, range.ports?.min);
}
