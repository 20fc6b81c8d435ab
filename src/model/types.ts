import type { MatchExtension, TargetExtension } from "../ext/types.js";

export type Family = "ipv4" | "ipv6";

/** Tables in the order iptables-save (nf_tables) prints them. */
export const TABLE_NAMES = ["mangle", "security", "raw", "filter", "nat"] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const HOOKS = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] as const;
export type Hook = (typeof HOOKS)[number];

/** The built-in chains of each table, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

export function builtinHook(table: TableName, chain: string): Hook | undefined {
  return BUILTIN_CHAINS[table].find((hook) => hook === chain);
}

export interface Counters {
  readonly packets: bigint;
  readonly bytes: bigint;
}

/** A position in the dump: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Negatable<T> {
  readonly value: T;
  readonly negated: boolean;
}

/** An address with its mask; the address is stored already masked, as the kernel keeps it. */
export type Cidr =
  | { readonly family: "ipv4"; readonly address: number; readonly mask: number }
  | { readonly family: "ipv6"; readonly address: bigint; readonly mask: bigint };

/** The matches every rule has built in (struct ipt_ip / ip6t_ip6). */
export interface HeaderMatch {
  readonly source?: Negatable<Cidr>;
  readonly destination?: Negatable<Cidr>;
  /** Interface name; a trailing `+` matches every name with that prefix. */
  readonly inInterface?: Negatable<string>;
  readonly outInterface?: Negatable<string>;
  /** IP protocol number (0 never appears: `-p all` means no protocol match). */
  readonly protocol?: Negatable<number>;
  /** `-f`: the packet is a second or later fragment (IPv4 only). */
  readonly fragment?: Negatable<true>;
}

// Parts of a rule keep only their column: a rule is one line (Rule.line).

/** A `-m NAME …` use in a rule, with the options its extension parsed. */
export interface MatchUse<O = unknown> {
  readonly extension: MatchExtension<O>;
  readonly options: O;
  /** Column of the extension's name after -m. */
  readonly column: number;
}

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

export type Policy = "ACCEPT" | "DROP";

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

export interface Table {
  readonly name: TableName;
  /** Built-in chains in hook order, then user-defined chains sorted by name, as iptables-save prints them. */
  readonly chains: readonly Chain[];
  readonly chainsByName: ReadonlyMap<string, Chain>;
  readonly line: number;
}

export interface Ruleset {
  readonly family: Family;
  /** The file (or `-`) the dump came from, for diagnostics and traces. */
  readonly file: string;
  /** Tables in the order iptables-save prints them. */
  readonly tables: readonly Table[];
  readonly tablesByName: ReadonlyMap<TableName, Table>;
}
