/** IPv4 (iptables) or IPv6 (ip6tables). */
export type Family = "ipv4" | "ipv6";

/** Tables in the order iptables-save (nf_tables) prints them. */
export const TABLE_NAMES = ["mangle", "security", "raw", "filter", "nat"] as const;
/** An iptables table. */
export type TableName = (typeof TABLE_NAMES)[number];

/** The netfilter hooks in the kernel's order (NF_INET_PRE_ROUTING to NF_INET_POST_ROUTING). */
export const HOOKS = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] as const;
/** A netfilter hook (a built-in chain's name). */
export type Hook = (typeof HOOKS)[number];

/** The built-in chains of each table, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

/** Whether `name` is an iptables table. */
export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/** The hook of `chain` when it is one of the table's built-in chains. */
export function builtinHook(table: TableName, chain: string): Hook | undefined {
  return BUILTIN_CHAINS[table].find((hook) => hook === chain);
}

/** A rule's or a policy's `[packets:bytes]`. */
export interface Counters {
  readonly packets: bigint;
  readonly bytes: bigint;
}

/** A position in the dump: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A value with its `!`. */
export interface Negatable<T> {
  readonly value: T;
  readonly negated: boolean;
}

/** An address with its mask; the address is stored already masked, as the kernel keeps it. */
export type Cidr = { readonly family: "ipv4"; readonly address: number; readonly mask: number } | { readonly family: "ipv6"; readonly address: bigint; readonly mask: bigint };

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

/** A built-in chain's policy. */
export type Policy = "ACCEPT" | "DROP";
