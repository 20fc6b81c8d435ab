/**
 * What a rule's conditions say, in the form lint compares rules in: the packets
 * of the modelled header fields (a packet set, exact), whether later fragments
 * can match, and every other condition as an opaque "atom" known only by its
 * text. Two rules with the same atom test the same thing, so an atom of one
 * rule holds wherever the other's does (as long as nothing between them
 * changes what it reads); atoms are never compared otherwise. A match that
 * keeps state per rule (limit, statistic, recent, …), whose test changes what
 * the next reads (ipset counters), whose options a dump censored, or that
 * nfwalk does not model is not even an atom: the rule's set is then only an upper bound of
 * what it takes.
 */
import { headerSet } from "../ext/header.js";
import { formatCidr } from "../model/address.js";
import type { Family, HeaderMatch, Negatable } from "../model/types.js";
import type { Rule } from "../ruleset/types.js";
import { EVERYTHING, intersect, isEmpty, isEverything, type PacketSet } from "../sets/packet-set.js";

/** Which packets by fragment: "first" — none that is a later fragment; "later" — only later fragments. */
export type Fragments = "any" | "first" | "later";

export interface Condition {
  /** The modelled header fields the rule requires; its packets all lie in it. */
  readonly set: PacketSet;
  readonly fragments: Fragments;
  /** `-i`, `-o`: compared as name patterns (`eth+` takes in `eth0`). */
  readonly inInterface: Negatable<string> | undefined;
  readonly outInterface: Negatable<string> | undefined;
  /** Other conditions that cannot change within one walk of a chain (IPv6 addresses), by their text. */
  readonly fixedAtoms: readonly string[];
  /** Deterministic conditions on what the walk may change (marks, connection state, …), by their text. */
  readonly stateAtoms: readonly string[];
  /** Everything the rule tests is in `set`, `fragments` and the atoms: `set` with them is exactly what it matches. */
  readonly exact: boolean;
  /** No packet can meet the conditions (e.g. `-f` with a port match). */
  readonly never: boolean;
}

/** The rule's conditions, or which of them hold for every packet. */
export function conditionOf(rule: Rule, family: Family): Condition {
  const header = rule.header;
  const fixedAtoms: string[] = [];
  const stateAtoms: string[] = [];
  let exact = true;
  let fragments: Fragments = header.fragment === undefined ? "any" : header.fragment.negated ? "first" : "later";
  let never = false;
  const restrictLater = () => {
    if (fragments === "later") never = true;
    fragments = "first";
  };
  let set = addressAndProtocol(header, family, fixedAtoms);
  for (const use of rule.matches) {
    const ext = use.extension;
    const alone = ext.headerOnly?.(use.options);
    if (alone) {
      set = intersect(set, alone.set);
      if (!alone.laterFragments) restrictLater();
    } else if (ext.match && !ext.unmodelled && !ext.unrepeatable?.(use.options)) {
      stateAtoms.push(`-m ${ext.name}${ext.save(use.options, { family }) ?? ""}`);
    } else exact = false;
  }
  return { set, fragments, inInterface: header.inInterface, outInterface: header.outInterface, fixedAtoms: fixedAtoms.sort(), stateAtoms: stateAtoms.sort(), exact, never: never || isEmpty(set) };
}

/** -s, -d and -p as a packet set; IPv6 addresses (outside the sets' fields) and masks too holey to list become atoms. */
function addressAndProtocol(header: HeaderMatch, family: Family, atoms: string[]): PacketSet {
  const plain: HeaderMatch = { protocol: header.protocol };
  const addresses = family === "ipv4" ? headerSet({ ...plain, source: header.source, destination: header.destination }, undefined, undefined) : undefined;
  if (addresses !== undefined) return addresses;
  for (const [flag, cidr] of [
    ["-s", header.source],
    ["-d", header.destination],
  ] as const) {
    if (cidr) atoms.push(`${cidr.negated ? "! " : ""}${flag} ${formatCidr(cidr.value)}`);
  }
  return headerSet(plain, undefined, undefined) ?? EVERYTHING;
}

/** Every atom of `a` is one of `b`'s. */
export function atomsWithin(a: readonly string[], b: ReadonlySet<string>): boolean {
  return a.every((atom) => b.has(atom));
}

/** The rule tests nothing: every packet matches it. */
export function matchesEverything(c: Condition): boolean {
  return c.exact && c.fragments === "any" && !c.inInterface && !c.outInterface && c.fixedAtoms.length === 0 && c.stateAtoms.length === 0 && isEverything(c.set);
}

/** Every interface name `later` admits (a pattern, `!` a pattern, or any name) `earlier` admits too. */
export function interfaceWithin(later: Negatable<string> | undefined, earlier: Negatable<string> | undefined): boolean {
  if (earlier === undefined) return true;
  if (later === undefined) return false;
  if (!later.negated) return earlier.negated ? disjoint(later.value, earlier.value) : patternWithin(later.value, earlier.value);
  // Names outside `later` are among those outside `earlier` when `earlier`'s are among `later`'s.
  return earlier.negated && patternWithin(earlier.value, later.value);
}

/** A pattern's fixed part: `eth+` → `eth` (the kernel compares that prefix), `eth0` → `eth0`. */
const stem = (pattern: string) => (pattern.endsWith("+") ? pattern.slice(0, -1) : pattern);

/** Every name pattern `a` matches, `b` matches. */
function patternWithin(a: string, b: string): boolean {
  return b.endsWith("+") ? stem(a).startsWith(stem(b)) : a === b;
}

/** No name matches both patterns. */
function disjoint(a: string, b: string): boolean {
  const wildA = a.endsWith("+");
  const wildB = b.endsWith("+");
  if (!wildA && !wildB) return a !== b;
  if (wildA && wildB) return !stem(a).startsWith(stem(b)) && !stem(b).startsWith(stem(a));
  return wildA ? !b.startsWith(stem(a)) : !a.startsWith(stem(b));
}
