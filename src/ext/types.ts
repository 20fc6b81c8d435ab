import type { Token } from "../parse/syntax.js";
import type { MatchEnv, MatchResult, TargetEffect, TargetEnv } from "./semantics.js";
import type { HeaderOnlySet, SetMatchEnv, SetMatchResult } from "./set-semantics.js";
import type { Family, Hook, Negatable, TableName } from "../model/types.js";

/**
 * One command-line option of an extension, declared the way libxtables
 * declares them (`struct xt_option_entry`): the parser does the generic work
 * (names, `!`, argument count, repeats) and hands typed uses to the extension.
 */
export interface OptionSpec {
  /** Long name without the leading `--`. */
  readonly name: string;
  /** Other long names for the same option (`destination-port` for `dport`). */
  readonly aliases?: readonly string[];
  /** How many words follow the option. */
  readonly args: 0 | 1 | 2;
  /** `!` may stand before the option. */
  readonly invertible?: boolean;
  /** The option may be given more than once. */
  readonly repeatable?: boolean;
  /** One more word may follow, taken when it starts with neither `-` nor `!` (rateest's rates). */
  readonly optionalArg?: true;
}

/** One occurrence of an option in a rule. */
export interface OptionUse {
  readonly spec: OptionSpec;
  readonly invert: boolean;
  readonly args: readonly Token[];
  /** The option word itself (`--dport`), for diagnostics. */
  readonly at: Token;
}

/** What an extension may know and do while it parses its options. */
export interface ParseContext {
  readonly family: Family;
  readonly table: TableName;
  readonly chain: string;
  /** The rule's `-p`, if any. */
  readonly protocol: Negatable<number> | undefined;
  /** The `-m NAME` / `-j NAME` word that loaded the extension. */
  readonly at: Token;
  /**
   * Rejects the rule as iptables-restore would; does not return. Being
   * `never`, it reads well after `??`: `const use = uses[0] ?? ctx.fail(…)`.
   */
  fail(at: Token, message: string, code?: string): never;
  /** Accepts the rule but tells the user something they should know. */
  warn(at: Token, message: string, code?: string): void;
}

/** What an extension may know while it prints its options. */
export interface SaveContext {
  readonly family: Family;
}

interface ExtensionBase<O> {
  readonly name: string;
  /** Families the extension exists for; all when absent. */
  readonly families?: readonly Family[];
  readonly options: readonly OptionSpec[];
  /**
   * iptables-nft turns the extension into native expressions and reads
   * repeated uses back as one (tcp, udp): `-m tcp --dport 2 -m tcp --sport 1`
   * is one tcp match. Options of a later use then go to the first, and an
   * option given again in a later use replaces the earlier one.
   */
  readonly merges?: true;
  /** Set on the stand-ins for extensions nfwalk does not model (kept verbatim, evaluated as unknown). */
  readonly unmodelled?: true;
  /**
   * Loading a rule that uses the extension turns connection tracking on in the network
   * namespace for the rule's family (its checkentry calls nf_ct_netns_get), wherever the
   * rule stands, reachable or not. Absent: the extension needs no conntrack.
   */
  tracksConnections?(options: O): boolean;
  /**
   * Loading a rule that uses the extension turns IP defragmentation on in the network
   * namespace (nf_defrag_ipv4/ipv6_enable) even where connection tracking stays off.
   */
  readonly defragments?: true;
  /** Builds the typed options from the option words, or fails with ctx.fail. */
  parse(uses: readonly OptionUse[], ctx: ParseContext): O;
  /**
   * The options as iptables-save prints them after the extension's name:
   * empty, or starting with a blank (` --dport 80`). null: iptables-nft kept
   * nothing of this match (all its options turned into no comparison), so
   * iptables-save prints no `-m NAME` either.
   */
  save(options: O, ctx: SaveContext): string | null;
}

/** A `-m NAME` match: its options, how it prints, and the kernel's verdict for a packet. */
export interface MatchExtension<O = unknown> extends ExtensionBase<O> {
  readonly kind: "match";
  /** Hooks the match may be used from (the kernel's checkentry); all when absent. */
  hooks?(options: O): readonly Hook[] | undefined;
  /**
   * The kernel's verdict for one packet (net/netfilter/xt_NAME.c), or Unknown
   * when it depends on state nfwalk does not have. Absent: not modelled yet,
   * which the engine treats as unknown.
   */
  match?(options: O, env: MatchEnv): MatchResult;
  /**
   * The same semantics over a set of packets (src/sets): which of them the
   * match holds for. Absent: the set walk treats the match as unknown.
   */
  matchSet?(options: O, env: SetMatchEnv): SetMatchResult;
  /**
   * The match as a packet set alone, when it reads nothing but the modelled header fields
   * (protocol, IPv4 addresses, ports): it then holds for exactly these packets whatever their
   * flags, marks, connection state or the host. Undefined: it reads more. `lint` compares
   * rules with it.
   */
  headerOnly?(options: O): HeaderOnlySet | undefined;
  /**
   * Two rules with these options may answer differently for one packet in one walk: each
   * rule keeps state of its own (a token bucket, a counter, a random draw, a list it
   * updates), the test changes what the next one reads (an ipset element's counters), or
   * the options hide what is tested (a value a published dump censored). `lint` then never
   * takes one rule's answer for another's.
   */
  unrepeatable?(options: O): boolean;
  /**
   * The one destination port the match requires, if it requires one: match()
   * is then false for a packet with any other destination port or without
   * ports, which lets the walk skip the rule for such packets.
   */
  requiredDestinationPort?(options: O): number | undefined;
  /** How `why` explains the match: its conditions one by one, and what the packet has there. */
  readonly explain?: MatchExplanation<O>;
}

/**
 * A match explained to a person (`nfwalk why`), beside its parse, print and semantics:
 * which of its options hold or fail on their own, and what the packet has that they test.
 */
export interface MatchExplanation<O> {
  /**
   * The options split into parts that hold or fail independently (tcp's `--sport` and
   * `--dport`), each a whole options value that `match` and `save` take; each part is
   * reported as a condition of its own. Absent: the match is one condition.
   */
  parts?(options: O): readonly O[];
  /** What the packet has that these options test, in words ("its destination port is 80 here"); undefined when there is nothing specific to say. */
  packetHas(options: O, env: MatchEnv): string | undefined;
}

/** A `-j NAME` target: its options, how it prints, and what it does to the packet and the walk. */
export interface TargetExtension<O = unknown> extends ExtensionBase<O> {
  readonly kind: "target";
  /** Tables the target may be used in; all when absent. */
  readonly tables?: readonly TableName[];
  /** Hooks the target may be reached from with these options (the kernel's checkentry); all when absent. */
  hooks?(options: O): readonly Hook[] | undefined;
  /** What the target does to the packet and the walk; absent: not modelled yet (unknown). */
  apply?(options: O, env: TargetEnv): TargetEffect;
}

export type Extension = MatchExtension | TargetExtension;
