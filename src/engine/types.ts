/**
 * A trace: what happened to one packet, step by step, in the order the
 * kernel takes the steps. `rule` and `policy` steps are exactly the rules and
 * policies whose counters the kernel would increment.
 */
import type { Hook, Policy, TableName } from "../model/types.js";
import type { Rule } from "../ruleset/types.js";
import type { ConntrackView, MatchEnv, Meta, Tuple } from "../ext/semantics.js";
import type { Packet } from "../packet/packet.js";
import type { DropReason } from "../host/types.js";

/** Where a packet ends: delivered to the host, forwarded, sent by the host, dropped, rejected, or undetermined (it depends on something nfwalk cannot know). */
export type Outcome = "delivered" | "forwarded" | "sent" | "dropped" | "rejected" | "undetermined";

interface Where {
  readonly hook: Hook;
  readonly table: TableName;
  readonly chain: string;
}

export interface RuleStep extends Where {
  readonly type: "rule";
  /** 1-based position in the chain. */
  readonly rule: number;
  /** 1-based line in the dump. */
  readonly line: number;
  /** The -j/-g target, when the rule has one. */
  readonly target?: string;
}

export interface PolicyStep extends Where {
  readonly type: "policy";
  readonly policy: Policy;
}

/** A rule whose matches nfwalk could not decide, and which way this branch assumed. */
export interface UnknownStep extends Where {
  readonly type: "unknown";
  readonly rule: number;
  readonly line: number;
  readonly reason: string;
  readonly assumed: "match" | "no match";
  /** The chance of this branch, for a random choice. */
  readonly probability?: number;
  /** Pinned by --assume rather than explored. */
  readonly pinned?: true;
}

export interface RouteStep {
  readonly type: "route";
  readonly decision: "local" | "forward" | "drop";
  readonly interface?: string;
  /** Why routing dropped the packet (decision "drop" only), as routing's typed reason. */
  readonly dropped?: DropReason;
  readonly detail: string;
}

export interface ConntrackStep {
  readonly type: "conntrack";
  readonly hook: Hook;
  readonly state: string;
  readonly detail: string;
}

export interface NatStep {
  readonly type: "nat";
  readonly hook: Hook;
  readonly kind: "dnat" | "snat" | "masquerade" | "redirect" | "netmap";
  readonly before: string;
  readonly after: string;
  readonly detail?: string;
}

/** Something a target did besides deciding: a mark set, a log line, … */
export interface EffectStep extends Where {
  readonly type: "effect";
  readonly rule: number;
  readonly detail: string;
}

/** The packet took a path where a hook's tables run without a rule decision (e.g. loopback). */
export interface NoteStep {
  readonly type: "note";
  readonly detail: string;
}

/** One step of a trace: a rule or policy the kernel counts, a decision between them (routing, conntrack, NAT), a target's effect, a note. */
export type Step = RuleStep | PolicyStep | UnknownStep | RouteStep | ConntrackStep | NatStep | EffectStep | NoteStep;

/** What the rules saw where a branch ended: the packet, its interfaces and connection at its last step. */
export interface EndPoint {
  readonly packet: Packet;
  readonly inInterface: string | undefined;
  readonly outInterface: string | undefined;
  readonly physIn: string | undefined;
  readonly physOut: string | undefined;
  readonly mark: number;
  readonly conntrack: ConntrackView;
}

/**
 * What the engine saw at one point of a walk, with typed values: the environment the
 * matches were given (packet, interfaces, connection, mark, the host's view) when a table's
 * walk began at a hook, and when a rule matched or a policy decided (its step). Recorded
 * only when the trace asks for it (`record`), for explanations that read them.
 */
export interface Seen {
  readonly hook: Hook;
  readonly table: TableName;
  readonly env: MatchEnv;
  /** The rule or policy step taken with this environment; absent for the start of the table's walk and for a rule passed over. */
  readonly step?: RuleStep | PolicyStep;
  /** A rule the walk tested with this environment and passed over, and the part of it that failed first. */
  readonly passed?: PassedRule;
}

/**
 * Which part of a rule decided that it did not match, in the order the kernel tests them
 * (ipt_do_table): the header (-s -d -i -o -p -f) first, then each match in turn, stopping at
 * the first that fails. `match` indexes the rule's matches.
 */
export type FailedPart = { readonly header: true } | { readonly match: number };

export interface PassedRule {
  readonly rule: Rule;
  readonly failed: FailedPart;
}

export interface Branch {
  /** "undetermined" when the branch met something nfwalk cannot follow (a queue, an unmodelled target). */
  readonly outcome: Outcome;
  readonly reason: string;
  /** Where the packet left or was delivered, with its header after every NAT rewrite. */
  readonly egress?: { readonly interface: string; readonly packet: Packet };
  readonly delivered?: { readonly packet: Packet };
  /** Ports of that header the kernel picks at random (MASQUERADE --random-fully, …): their values are not known. */
  readonly randomPorts?: readonly ("sport" | "dport")[];
  readonly probability: number | undefined;
  readonly steps: readonly Step[];
  /** The conntrack entry the branch set up (tracked packets only), for tracing the connection's later packets. */
  readonly connection?: {
    readonly original: Tuple;
    readonly replyTuple: Tuple;
    readonly status: number;
    readonly meta: Meta;
  };
  /** The packet as the last rule or decision of the branch saw it (for explaining that decision). */
  readonly endPoint?: EndPoint;
  /** What the engine saw at each table's walk and each rule or policy step, in order; only when the trace was asked to record it. */
  readonly seen?: readonly Seen[];
}

/** Whether the kernel tracks connections in the host (engine/conntrack-use.ts works it out). */
export interface ConntrackUse {
  /** Conntrack runs in the host: a rule needs it, or the user said something else does. */
  readonly active: boolean;
  /** IP defragmentation runs before the raw table: conntrack runs, or a rule needs it alone. */
  readonly defragments: boolean;
  /** `--assume conntrack=…` decided rather than the rules. */
  readonly assumed: boolean;
  /** The first rule in the dump that turns conntrack on, and the extension that does. */
  readonly user?: { readonly rule: Rule; readonly extension: string };
  /** Plain words: why it runs or not, for traces and explanations. */
  readonly reason: string;
}

export interface Trace {
  readonly packet: Packet;
  readonly ingress: { readonly interface: string } | { readonly local: true };
  readonly outcome: Outcome;
  /** Plain words: what decided the outcome. */
  readonly reason: string;
  readonly egress?: Branch["egress"];
  readonly delivered?: Branch["delivered"];
  readonly randomPorts?: Branch["randomPorts"];
  readonly steps: readonly Step[];
  /** Every way the packet can go when unknown matches were met. */
  readonly branches: readonly Branch[];
  /** Whether the host tracks connections at all, and why (derived from the rules or assumed). */
  readonly conntrack?: ConntrackUse;
}
