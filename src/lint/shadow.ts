/**
 * Rules that never see a packet or that change nothing, chain by chain:
 *
 * - after a catch-all: a rule matching every packet ends every walk before it;
 * - shadowed: each packet the rule matches is taken by an earlier rule (one
 *   whose every matched packet leaves the chain: ACCEPT, DROP, REJECT, RETURN,
 *   NAT, a goto, a jump to a chain that ends every packet). An earlier rule
 *   counts only when it is exact (its conditions are all in lint's terms, see
 *   condition.ts) and its atoms are among the later rule's; and when a rule
 *   between them may change the packet or its state (MARK, CONNMARK, CT, a jump
 *   to a chain that does), only when its atoms cannot change (interfaces).
 *   Then a packet of the later rule meets the earlier one with the same header
 *   and atoms, so it is taken there. Later fragments are checked apart: port
 *   matches never take them.
 * - redundant: the rule's verdict is what its packets get without it: no later
 *   rule of the chain can match any of them, and the chain's end gives the same
 *   (the policy of a built-in chain, RETURN of a user chain); and it is not the
 *   rule that keeps connection tracking on.
 */
import type { Family } from "../model/types.js";
import type { Chain, Rule, Table } from "../ruleset/types.js";
import { isEmpty, minus, overlaps, type PacketSet } from "../sets/packet-set.js";
import { atomsWithin, conditionOf, interfaceWithin, matchesEverything, type Condition, type Fragments } from "./condition.js";
import { managedChain } from "./managed.js";
import { LINT_CODES, type LintFinding, type LintRuleRef } from "./types.js";
import { chainFacts, mayModify, takes, type ChainFacts } from "./verdicts.js";

export interface RuleFinder {
  readonly family: Family;
  ref(rule: Rule): LintRuleRef;
  /** Taking the rule out could turn connection tracking off (tracking.ts). */
  keepsTrackingOn(rule: Rule): boolean;
}

export function ruleFindings(table: Table, finder: RuleFinder): LintFinding[] {
  const conditions = new Map<Rule, Condition>();
  const condition = (rule: Rule) => {
    let c = conditions.get(rule);
    if (!c) conditions.set(rule, (c = conditionOf(rule, finder.family)));
    return c;
  };
  const facts = chainFacts(table, condition);
  return table.chains.flatMap((chain) => chainFindings(table, chain, facts, condition, finder));
}

interface Taker {
  readonly rule: Rule;
  readonly condition: Condition;
  /** Index of the first rule after it that may change packets (Infinity: none so far). */
  changedBy: number;
}

function chainFindings(table: Table, chain: Chain, facts: ChainFacts, condition: (rule: Rule) => Condition, finder: RuleFinder): LintFinding[] {
  const findings: LintFinding[] = [];
  const takers: Taker[] = [];
  let catchAll: Rule | undefined;
  const rules = chain.rules;
  const managed = managedChain(chain.name);
  for (let j = 0; j < rules.length; j++) {
    const rule = rules[j]!;
    const c = condition(rule);
    if (catchAll) {
      findings.push(finding("NF102", rule, [catchAll], `never reached: rule ${catchAll.number} (line ${catchAll.line}) before it matches every packet and ends its walk`, finder));
      continue;
    }
    if (!c.never) {
      const shadowing = shadowersOf(c, takers, j);
      if (shadowing) {
        const lines = shadowing.map((r) => `${r.number} (line ${r.line})`).join(", ");
        findings.push(finding("NF101", rule, shadowing, `never matches: every packet it matches is taken before by rule${shadowing.length > 1 ? "s" : ""} ${lines}`, finder));
      } else if (!managed && isRedundant(chain, j, c, condition) && !finder.keepsTrackingOn(rule)) {
        const end = chain.policy ? `the policy ${chain.policy}` : "RETURN at the chain's end";
        findings.push(finding("NF103", rule, [], `redundant: no later rule can match its packets, and ${end} gives them the same verdict`, finder));
      }
    }
    if (takes(rule, table, facts) && c.exact && !c.never) {
      takers.push({ rule, condition: c, changedBy: Infinity });
      if (matchesEverything(c)) catchAll = rule;
    }
    if (mayModify(rule, table, facts)) for (const t of takers) if (t.changedBy === Infinity) t.changedBy = j;
  }
  return findings;
}

/**
 * The earlier rules that take every packet `c` matches, or undefined when
 * they do not (or lint cannot say). Checked for packets that are no later
 * fragment, and for later fragments, as far as `c` matches each.
 */
function shadowersOf(c: Condition, takers: readonly Taker[], at: number): Rule[] | undefined {
  const fixed = new Set(c.fixedAtoms);
  const state = new Set(c.stateAtoms);
  const used = new Set<Rule>();
  for (const world of WORLDS) {
    if (c.fragments !== "any" && c.fragments !== world) continue;
    let left = c.set;
    const cover: Taker[] = [];
    for (const t of takers) {
      const tc = t.condition;
      // The overlap first: most earlier rules are about other packets, and it is the cheapest test.
      if (!worldOf(tc.fragments, world) || !overlaps(left, tc.set)) continue;
      if (
        !interfaceWithin(c.inInterface, tc.inInterface) ||
        !interfaceWithin(c.outInterface, tc.outInterface) ||
        !atomsWithin(tc.fixedAtoms, fixed) ||
        !atomsWithin(tc.stateAtoms, state) ||
        (tc.stateAtoms.length > 0 && t.changedBy < at)
      )
        continue;
      left = minus(left, tc.set);
      cover.push(t);
      if (isEmpty(left)) break;
    }
    if (!isEmpty(left)) return undefined;
    for (const rule of needed(c.set, cover)) used.add(rule);
  }
  return used.size === 0 ? undefined : [...used].sort((a, b) => a.number - b.number);
}

const WORLDS = ["first", "later"] as const;

function worldOf(fragments: Fragments, world: "first" | "later"): boolean {
  return fragments === "any" || fragments === world;
}

/** The covering takers without those the others make needless, so a finding names only what shadows. */
function needed(set: PacketSet, cover: readonly Taker[]): Rule[] {
  let kept = [...cover];
  for (const t of cover) {
    const others = kept.filter((k) => k !== t);
    if (others.length > 0 && isEmpty(others.reduce((left, k) => minus(left, k.condition.set), set))) kept = others;
  }
  return kept.map((t) => t.rule);
}

/** The rule ends its packets as the chain's end would, and no later rule can match any of them. */
function isRedundant(chain: Chain, index: number, c: Condition, condition: (rule: Rule) => Condition): boolean {
  const rule = chain.rules[index]!;
  const action = rule.action;
  if (action?.kind !== "target" || !c.exact) return false;
  const verdict = action.target.extension.name;
  const sameAsEnd = verdict === "RETURN" || (chain.policy !== null && verdict === chain.policy);
  if (!sameAsEnd) return false;
  // A later rule's set holds every packet it may match (its other conditions only narrow it).
  return chain.rules.slice(index + 1).every((later) => !overlaps(condition(later).set, c.set) || condition(later).never);
}

function finding(code: "NF101" | "NF102" | "NF103", rule: Rule, related: readonly Rule[], message: string, finder: RuleFinder): LintFinding {
  const ref = finder.ref(rule);
  return { code, severity: LINT_CODES[code].severity, location: ref.location, message, rule: ref, related: related.map((r) => finder.ref(r)) };
}
