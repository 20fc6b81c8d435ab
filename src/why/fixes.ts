/**
 * From candidate fixes to the fixes `why` prints: each is completed with the narrow rules
 * the packet and its reply still need (unblock.ts), proven by tracing both with the fix in
 * place (prove.ts), printed as the commands iptables would save (the rule read back from the
 * changed ruleset), and ordered narrowest first (fewest other packets changed, by the packet
 * sets' diff; a fix whose other changes are undetermined after those that are known). A packet an
 * ipset allow-list would let through is fixed by adding to the set, never around it.
 */
import type { Packet } from "../packet/packet.js";
import { formatAddress } from "../packet/format.js";
import { hasPorts } from "../packet/packet.js";
import { protocolName } from "../ext/values.js";
import { set as setMatch, type SetOptions } from "../ext/match/set.js";
import { useOptions } from "../ruleset/options.js";
import { formatRule } from "../ruleset/save.js";
import { applyChange, commandOf, type Change, type World } from "./change.js";
import { prove, proveInstead, type Proof, type Question } from "./prove.js";
import type { Candidate } from "./traps.js";
import type { Fix } from "./types.js";
import type { Miss } from "./near-miss.js";
import { unblock } from "./unblock.js";

/** At most this many fixes are printed: the narrowest, and one other way. */
const MAX_FIXES = 2;

export function provenFixes(world: World, q: Question, candidates: readonly Candidate[], blocked: boolean): Fix[] {
  const fixes: { fix: Fix; others: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const proven = proveCandidate(world, q, candidate, blocked);
    const key = proven && [proven.fix.words ?? "", ...proven.fix.commands].join("\n");
    if (proven && key !== undefined && !seen.has(key)) {
      seen.add(key);
      fixes.push(proven);
    }
  }
  // Stable: among fixes that change as many other packets, the detectors' order stays.
  return fixes
    .sort((a, b) => a.others - b.others)
    .slice(0, MAX_FIXES)
    .map((f) => f.fix);
}

/** The fix, and how many other packets it changes (infinitely many when that is undetermined). */
function proveCandidate(world: World, q: Question, candidate: Candidate, blocked: boolean): { fix: Fix; others: number } | undefined {
  if ("instead" in candidate) {
    const proof = proveInstead(world, q, candidate.instead);
    return proof && proven({ words: candidate.words, commands: [] }, proof);
  }
  const changes = blocked ? unblock(world, q, candidate.changes) : [...candidate.changes];
  if (!changes || changes.length === 0) return undefined;
  const proof = prove(world, q, changes);
  const commands = proof && canonicalCommands(world, changes);
  if (!proof || !commands) return undefined;
  return proven({ ...(candidate.words !== undefined && { words: candidate.words }), commands }, proof);
}

function proven(what: Pick<Fix, "words" | "commands">, proof: Proof): { fix: Fix; others: number } {
  const { packet, reply, diff } = proof;
  const undetermined = diff.differences.some((d) => d.change === "undetermined");
  return { fix: { ...what, packet, reply, alsoChanges: diff.differences }, others: undetermined ? Infinity : diff.size };
}

/** The commands with each rule as iptables-save prints it once loaded (the change applied, the rule read back). */
function canonicalCommands(world: World, changes: readonly Change[]): string[] | undefined {
  const commands: string[] = [];
  let current = world;
  for (const change of changes) {
    const next = applyChange(current, change);
    if ("error" in next) return undefined;
    if (change.kind === "rule") {
      const rules = next.ruleset.tablesByName.get(change.table)!.chainsByName.get(change.chain)!.rules;
      const rule = change.how === "append" ? rules[rules.length - 1]! : rules[change.position! - 1]!;
      commands.push(commandOf({ ...change, rule: formatRule(rule, world.ruleset.family).slice(`-A ${change.chain} `.length) }, world.ruleset.family));
    } else commands.push(commandOf(change, world.ruleset.family));
    current = next;
  }
  return commands;
}

/**
 * When the ACCEPT rule nearest to letting the packet through fails only on `-m set`
 * matches, the set is an allow-list: the fix is adding the packet's element to it.
 * Undefined when no such rule, or a set's element cannot be made from the packet.
 */
export function allowListCandidate(world: World, miss: Miss | undefined, packet: Packet): Candidate | undefined {
  if (miss?.kind !== "accept" || !world.ipsets) return undefined;
  const failing = miss.conditions.filter((c) => c.result !== "holds");
  const sets = failing.map((c) => c.use && useOptions(c.use, setMatch));
  if (failing.length === 0 || !sets.every((set) => set !== undefined)) return undefined;
  const changes: Change[] = [];
  for (const set of sets) {
    const element = set.negated ? undefined : elementOf(world, set, packet);
    if (element === undefined) return undefined;
    changes.push({ kind: "ipset-add", set: set.name, element });
  }
  return { words: `add it to the allow-list the rule at ${miss.nearMiss.rule.file}:${miss.nearMiss.rule.line} checks`, changes };
}

/** The element the packet gives the set, as `ipset add` takes it: `203.0.113.7`, `203.0.113.7,tcp:22`. */
function elementOf(world: World, set: SetOptions, packet: Packet): string | undefined {
  const dims = world.ipsets?.sets.get(set.name)?.dimensions;
  if (!dims) return undefined;
  const parts: string[] = [];
  for (const [i, dim] of dims.entries()) {
    const direction = set.directions[i];
    if (direction === undefined) return undefined;
    if (dim === "ip" || dim === "net") parts.push(formatAddress(direction === "src" ? packet.src : packet.dst));
    else if (dim === "port" && hasPorts(packet.transport)) {
      parts.push(`${protocolName(packet.protocol)}:${direction === "src" ? packet.transport.sport : packet.transport.dport}`);
    } else return undefined;
  }
  return parts.join(",");
}
