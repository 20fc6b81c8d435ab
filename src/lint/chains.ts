/**
 * The jump structure of a table: user chains with rules that nothing jumps or
 * goes to (no packet ever walks them; an empty one does nothing at all), and jumps or gotos to a chain without rules (a
 * jump does nothing, a goto returns at once to the caller's caller).
 * DOCKER-USER is left out of the second: Docker creates it empty, as the
 * place for the user's own rules; so are the chains Docker and kube-proxy
 * manage (managed.ts).
 */
import type { Rule, Table } from "../ruleset/types.js";
import { managedChain } from "./managed.js";
import { LINT_CODES, type LintFinding, type LintRuleRef } from "./types.js";

export function chainFindings(table: Table, file: string, ref: (rule: Rule) => LintRuleRef): LintFinding[] {
  const called = new Set<string>();
  const findings: LintFinding[] = [];
  for (const chain of table.chains) {
    for (const rule of chain.rules) {
      const action = rule.action;
      if (action === null || action.kind === "target") continue;
      called.add(action.chain);
      const target = table.chainsByName.get(action.chain)!;
      if (target.rules.length > 0 || target.name === "DOCKER-USER" || managedChain(target.name)) continue;
      const r = ref(rule);
      const how = action.kind === "jump" ? "jumps to" : "goes to";
      const effect = action.kind === "jump" ? "does nothing" : "returns at once to the calling chain's caller";
      findings.push({
        code: "NF105",
        severity: LINT_CODES.NF105.severity,
        location: { ...r.location, column: action.column },
        message: `${how} ${target.name}${target.line === null ? "" : ` (line ${target.line})`}, which has no rules: it ${effect}`,
        rule: r,
        related: [],
      });
    }
  }
  for (const chain of table.chains) {
    if (chain.hook !== null || called.has(chain.name) || chain.line === null || chain.rules.length === 0 || managedChain(chain.name)) continue;
    findings.push({
      code: "NF104",
      severity: LINT_CODES.NF104.severity,
      location: { file, line: chain.line },
      message: `no rule jumps or goes to chain ${chain.name} in table ${table.name}: ${chain.rules.length === 1 ? "its rule never sees" : `its ${chain.rules.length} rules never see`} a packet`,
      related: [],
    });
  }
  return findings;
}
