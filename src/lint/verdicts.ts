/**
 * What a rule's action does to the walk of its chain, told statically: whether
 * every packet it matches leaves the chain for good (it "takes" them), and
 * whether packets it lets go on may have changed on the way (a mark set, a
 * connection untracked, a TTL lowered) — then a later rule may see a packet
 * differently than an earlier one did.
 */
import type { Chain, Rule, Table } from "../ruleset/types.js";
import { callersFirst, chainGraph } from "../ruleset/chain-graph.js";
import { type Condition, matchesEverything } from "./condition.js";

/**
 * Targets whose verdict ends the walk of the chain for every packet: the
 * standard verdicts (RETURN leaves the chain), REJECT (NF_DROP), NAT (NF_ACCEPT),
 * queueing (NF_QUEUE: even with --queue-bypass the packet goes on with the next
 * hook function, not the next rule).
 */
const TAKING_TARGETS: ReadonlySet<string> = new Set(["ACCEPT", "DROP", "RETURN", "QUEUE", "REJECT", "NFQUEUE", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP"]);

/** Targets that let the packet go on unchanged: they only log or trace it. */
const OBSERVING_TARGETS: ReadonlySet<string> = new Set(["LOG", "NFLOG", "TRACE", "AUDIT"]);

/** The same targets but RETURN: their verdict ends the whole walk, whatever chain called. */
const ENDING_TARGETS: ReadonlySet<string> = new Set([...TAKING_TARGETS].filter((t) => t !== "RETURN"));

export interface ChainFacts {
  /** A rule of the chain (or of a chain it reaches) may change the packet or its state and let it go on. */
  readonly modifies: ReadonlySet<Chain>;
  /** Every packet that enters the chain ends its walk there (never comes back to the caller). */
  readonly alwaysEnds: ReadonlySet<Chain>;
}

/** The facts of every chain of a table, callees before callers (the kernel refuses loops). */
export function chainFacts(table: Table, conditionOf: (rule: Rule) => Condition): ChainFacts {
  const graph = chainGraph(table);
  const order = [...callersFirst(graph)].reverse();
  const modifies = new Set<Chain>();
  const alwaysEnds = new Set<Chain>();
  const facts = { modifies, alwaysEnds };
  for (const index of order) {
    const chain = graph.chains[index]!;
    if (chain.rules.some((rule) => mayModify(rule, table, facts))) modifies.add(chain);
    if (endsEveryPacket(chain, table, facts, conditionOf)) alwaysEnds.add(chain);
  }
  return facts;
}

/** The chain a jump or goto leads to. */
function callee(rule: Rule, table: Table): Chain | undefined {
  return rule.action && rule.action.kind !== "target" ? table.chainsByName.get(rule.action.chain) : undefined;
}

export function mayModify(rule: Rule, table: Table, facts: ChainFacts): boolean {
  const action = rule.action;
  if (action === null) return false;
  if (action.kind !== "target") return facts.modifies.has(callee(rule, table)!);
  const name = action.target.extension.name;
  return !TAKING_TARGETS.has(name) && !OBSERVING_TARGETS.has(name);
}

/** Every packet the rule matches leaves the chain and never comes back to its next rule. */
export function takes(rule: Rule, table: Table, facts: ChainFacts): boolean {
  const action = rule.action;
  if (action === null) return false;
  if (action.kind === "goto") return true;
  if (action.kind === "jump") return facts.alwaysEnds.has(callee(rule, table)!);
  return TAKING_TARGETS.has(action.target.extension.name);
}

/**
 * Every packet entering the chain ends its walk in it: a rule matching every
 * packet ends it (an ending verdict, or a jump or goto to such a chain), and no
 * rule before sends a packet back to the caller (RETURN, or a goto to a chain
 * that may return).
 */
function endsEveryPacket(chain: Chain, table: Table, facts: ChainFacts, conditionOf: (rule: Rule) => Condition): boolean {
  for (const rule of chain.rules) {
    const action = rule.action;
    if (action === null) continue;
    const ends = action.kind === "target" ? ENDING_TARGETS.has(action.target.extension.name) : facts.alwaysEnds.has(callee(rule, table)!);
    if (ends && matchesEverything(conditionOf(rule))) return true;
    if ((action.kind === "target" && action.target.extension.name === "RETURN") || (action.kind === "goto" && !ends)) return false;
  }
  return false;
}
