import { formatRule } from "../ruleset/save.js";
import type { Hook } from "../model/types.js";
import type { Rule, Ruleset } from "../ruleset/types.js";
import type { RuleRef } from "./types.js";

/** A rule as a person finds it: its text and file:line, where it sits and at which hook it ran. */
export function ruleRef(ruleset: Ruleset, rule: Rule, hook: Hook): RuleRef {
  return { text: formatRule(rule, ruleset.family), file: ruleset.file, line: rule.line, table: rule.table, chain: rule.chain, rule: rule.number, hook };
}

export function ruleAt(ruleset: Ruleset, table: Rule["table"], chain: string, number: number): Rule | undefined {
  return ruleset.tablesByName.get(table)?.chainsByName.get(chain)?.rules[number - 1];
}
