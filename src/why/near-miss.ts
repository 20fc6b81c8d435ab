/**
 * The rules that would have changed the outcome: the ACCEPT rule closest to
 * letting a blocked packet through, and the DNAT rule (a published port) that
 * did not rewrite a packet aimed at its port. Each is evaluated condition by
 * condition against the packet where that rule would have seen it.
 */
import type { MatchEnv } from "../ext/semantics.js";
import { DNAT } from "../ext/target/DNAT.js";
import { targetOptions } from "../ruleset/options.js";
import type { Hook, TableName } from "../model/types.js";
import type { Chain, Rule, Ruleset, Table } from "../ruleset/types.js";
import { formatEndpoint } from "../packet/format.js";
import type { Step } from "../engine/types.js";
import { ruleConditions, testsDestinationPort, type Condition, type TestedCondition } from "./conditions.js";
import type { NearMiss } from "./types.js";
import { ruleRef } from "./refs.js";

/** A near miss with the rule itself and its conditions' match parts, for the traps and fixes that look at them. */
export interface Miss {
  readonly kind: "accept" | "dnat";
  readonly nearMiss: NearMiss;
  readonly rule: Rule;
  readonly conditions: readonly (TestedCondition & { readonly of: "rule" | "jump" })[];
}

/** The conditions as the answer prints them (text, result, what the packet has). */
const printed = (conditions: Miss["conditions"]): NearMiss["conditions"] => conditions.map(({ use: _, ...c }) => c);

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
export function nearestAccept(ruleset: Ruleset, hook: Hook, tableName: TableName, blockedIn: string, blocker: string, env: MatchEnv): Miss | undefined {
  const table = ruleset.tablesByName.get(tableName);
  if (!table) return undefined;
  const candidates = reachableRules(table, hook)
    .filter((rule) => targetName(rule) === "ACCEPT")
    .map((rule) => ({ rule, conditions: ruleConditions(rule, env, ruleset.family) }));
  const own = candidates.filter((c) => c.rule.chain === blockedIn);
  const best = (own.length > 0 ? own : candidates).sort((a, b) => failing(a.conditions) - failing(b.conditions) || holding(b.conditions) - holding(a.conditions))[0];
  if (!best) return undefined;
  const allHold = failing(best.conditions) === 0;
  const conditions = best.conditions.map((c) => ({ ...c, of: "rule" as const }));
  return {
    kind: "accept",
    rule: best.rule,
    conditions,
    nearMiss: {
      wouldHave: "accepted it",
      rule: ruleRef(ruleset, best.rule, hook),
      conditions: printed(conditions),
      ...(allHold && { note: `every condition holds, but ${blocker} decides first` }),
    },
  };
}

/**
 * A DNAT rule for the packet's protocol and destination port that did not
 * fire, with the conditions of the jump that leads to its chain.
 */
export function missedDnat(ruleset: Ruleset, hook: "PREROUTING" | "OUTPUT", env: MatchEnv, steps: readonly Step[]): Miss | undefined {
  const table = ruleset.tablesByName.get("nat");
  if (!table) return undefined;
  for (const rule of reachableRules(table, hook)) {
    const range = targetOptions(rule, DNAT);
    if (!range) continue;
    const own = ruleConditions(rule, env, ruleset.family);
    if (!own.some((c) => c.result === "holds" && testsDestinationPort(c))) continue;
    const jump = table.chainsByName.get(hook)?.rules.find((r) => r.action?.kind !== "target" && r.action?.chain === rule.chain);
    const jumpConditions = jump ? ruleConditions(jump, env, ruleset.family) : [];
    const conditions = [...jumpConditions.map((c) => ({ ...c, of: "jump" as const })), ...own.map((c) => ({ ...c, of: "rule" as const }))];
    const returned = steps.find((s) => s.type === "rule" && s.table === "nat" && s.chain === rule.chain && s.target === "RETURN" && s.rule < rule.number);
    const note = failing(conditions) === 0 && returned?.type === "rule" ? `every condition holds, but rule ${returned.rule} of nat ${rule.chain} (line ${returned.line}) returns first` : undefined;
    const a = range.addresses;
    const to = a ? formatEndpoint(a.family === "ipv4" ? { family: "ipv4", value: a.min } : { family: "ipv6", value: a.min }, range.ports?.min) : "another port";
    return { kind: "dnat", rule, conditions, nearMiss: { wouldHave: `sent it to ${to}`, rule: ruleRef(ruleset, rule, hook), conditions: printed(conditions), ...(note && { note }) } };
  }
  return undefined;
}
