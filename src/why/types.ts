/**
 * The answer to "why does (or doesn't) this packet get there?", as plain
 * data: what `nfwalk why --json` prints and what the text view renders.
 */
import type { PacketNames } from "../docker/packet-names.js";
import type { KubeServiceReach } from "../kube/summary.js";
import type { KubeProxyMode } from "../kube/index.js";
import type { Hook, Policy, TableName } from "../model/types.js";
import type { PacketJson } from "../trace/json.js";
import type { Outcome } from "../engine/types.js";
import type { Condition } from "./conditions.js";
import type { FixDifference } from "./fix-diff.js";

/** A rule of the dump, located for a person: its text, file:line, table, chain and hook. */
export interface RuleRef {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly table: TableName;
  readonly chain: string;
  /** 1-based position in the chain. */
  readonly rule: number;
  readonly hook: Hook;
}

/** The step that decided: a rule (with its target), a policy, a routing decision, or something else in words. */
export type Decisive =
  | ({ readonly kind: "rule"; readonly target: string } & RuleRef)
  | { readonly kind: "policy"; readonly table: TableName; readonly chain: string; readonly hook: Hook; readonly policy: Policy }
  | { readonly kind: "routing"; readonly detail: string }
  | { readonly kind: "other"; readonly detail: string };

/** A rule that would have changed the outcome, and which of its conditions this packet failed. */
export interface NearMiss {
  /** What the rule would have done: "accept it", "send it to 172.17.0.2:80". */
  readonly wouldHave: string;
  readonly rule: RuleRef;
  /** Every condition of the rule (and of the jump that leads to it), evaluated at that point. */
  readonly conditions: readonly (Condition & { readonly of: "rule" | "jump" })[];
  /** Why it did not decide although every condition holds (it comes after the deciding rule). */
  readonly note?: string;
}

/** The Docker and firewall traps `why` recognises. */
export type TrapName =
  | "input-bypassed"
  | "docker-user-sees-container-port"
  | "forward-policy-drop"
  | "ip-forward-off"
  | "docker-proxy"
  | "direct-access-dropped"
  | "networks-isolated"
  | "internal-network"
  | "published-on-loopback";

/** A trap behind the outcome, said in words. */
export interface Trap {
  readonly name: TrapName;
  readonly words: string;
}

/** One way an undetermined packet can go. */
export interface Alternative {
  readonly assumed: readonly string[];
  readonly outcome: Outcome;
  readonly answer: string;
}

/** A fix nfwalk made on the rules and traced: what to run, and what the packet and its reply then do. */
export interface Fix {
  /** What the fix is for, when it is not just "let this packet through". */
  readonly words?: string;
  /** The commands, in order (none when the fix is to send another packet instead). */
  readonly commands: readonly string[];
  /** With the fix: what happens to the packet and to its reply (the connection's answer, state ESTABLISHED). */
  readonly packet: string;
  readonly reply: string;
  /**
   * Every other packet the fix treats differently, by the packet sets' exact `diff` of the
   * rules without and with it (the first packets of connections); empty when it changes
   * nothing else.
   */
  readonly alsoChanges: readonly FixDifference[];
}

/** The answer of {@link why} (what `nfwalk why --json` prints; {@link whyText} renders it for people). */
export interface Why {
  /** The host nfwalk assumed, in words, when no --addr/--route or snapshot said it. */
  readonly assumedHost?: readonly string[];
  readonly packet: PacketJson;
  readonly origin: { readonly in: string } | { readonly local: true };
  /** How the origin was worked out when it was not given. */
  readonly originInferred?: string;
  readonly outcome: Outcome;
  /** true: delivered, forwarded or sent; false: dropped or rejected; undefined: undetermined. */
  readonly reached: boolean | undefined;
  /** The short answer, first line of the text. */
  readonly answer: string;
  /** For a packet that gets there: whether its reply (the connection's answer, state ESTABLISHED) gets back, and what happens to it. */
  readonly reply?: { readonly getsBack: boolean; readonly outcome: string };
  /** Whether the host tracks connections, when that is not simply on because the rules need it. */
  readonly conntrack?: string;
  readonly decisive?: Decisive;
  /** The DNAT rule that sent the packet where it went. */
  readonly translatedBy?: RuleRef & { readonly after: string };
  readonly whyNot: readonly NearMiss[];
  readonly traps: readonly Trap[];
  /** Fixes proven by tracing the packet and its reply with the fix in place; the narrowest first. */
  readonly fixes: readonly Fix[];
  /** What nfwalk cannot check (a daemon setting, Docker's own commands). */
  readonly advice: readonly string[];
  readonly alternatives: readonly Alternative[];
  /** Which Docker wrote the rules, when any did. */
  readonly docker?: string;
  /** kube-proxy's mode, when it wrote rules here; in IPVS mode services are not in the rules (see IPVS_NOTE). */
  readonly kubeProxy?: KubeProxyMode;
  /** The Docker containers and networks the packet meets, by name; only with Docker's inspect output. */
  readonly names?: PacketNames;
  /** The kube-proxy services the packet meets: the portal, and each endpoint with its chance and outcome. */
  readonly kubernetes?: readonly KubeServiceReach[];
}
