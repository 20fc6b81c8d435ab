/**
 * A loaded ruleset: tables, chains and rules, each rule with its extension uses.
 * It sits above the extensions (a rule holds the extensions that parsed its options),
 * while the vocabulary they share (families, hooks, addresses) is in model/.
 */
import type { MatchExtension, TargetExtension } from "../ext/types.js";
import type { Counters, HeaderMatch, Hook, Policy, TableName, Family } from "../model/types.js";

// Parts of a rule keep only their column: a rule is one line (Rule.line).

/** A `-m NAME …` use in a rule, with the options its extension parsed. */
export interface MatchUse<O = unknown> {
  readonly extension: MatchExtension<O>;
  readonly options: O;
  /** Column of the extension's name after -m. */
  readonly column: number;
}

/** A `-j NAME …` use in a rule, with the options its target parsed. */
export interface TargetUse<O = unknown> {
  readonly extension: TargetExtension<O>;
  readonly options: O;
  /** Column of the target's name after -j. */
  readonly column: number;
}

/** What a rule does once all its matches hold. */
export type RuleAction =
  | { readonly kind: "jump"; readonly chain: string; readonly column: number }
  | { readonly kind: "goto"; readonly chain: string; readonly column: number }
  | { readonly kind: "target"; readonly target: TargetUse };

/** One `-A` line: where it is, its counters, its header match, its extension matches and what it does. */
export interface Rule {
  readonly table: TableName;
  readonly chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  readonly number: number;
  /** 1-based line of the rule in the dump. */
  readonly line: number;
  readonly counters: Counters | null;
  readonly header: HeaderMatch;
  readonly matches: readonly MatchUse[];
  /** null: a rule without -j/-g only counts packets. */
  readonly action: RuleAction | null;
}

/** A chain: built-in (with its hook and policy) or user-defined, and its rules in order. */
export interface Chain {
  readonly name: string;
  /** The hook of a built-in chain; null for a user-defined chain. */
  readonly hook: Hook | null;
  /** Built-in chains only. */
  readonly policy: Policy | null;
  readonly counters: Counters | null;
  readonly rules: readonly Rule[];
  /** Line of the chain's declaration; null for a built-in chain the dump did not declare. */
  readonly line: number | null;
}

/** One `*table` of the dump. */
export interface Table {
  readonly name: TableName;
  /** Built-in chains in hook order, then user-defined chains sorted by name, as iptables-save prints them. */
  readonly chains: readonly Chain[];
  readonly chainsByName: ReadonlyMap<string, Chain>;
  readonly line: number;
}

/** A loaded `iptables-save` or `ip6tables-save` dump. */
export interface Ruleset {
  readonly family: Family;
  /** The file (or `-`) the dump came from, for diagnostics and traces. */
  readonly file: string;
  /** Tables in the order iptables-save prints them. */
  readonly tables: readonly Table[];
  readonly tablesByName: ReadonlyMap<TableName, Table>;
}
