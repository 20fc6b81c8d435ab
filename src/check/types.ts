/**
 * The expectations `nfwalk check` decides and its answers, as plain data:
 * a formatter (text, JSON, JUnit, TAP, CI annotations) needs each result's
 * name, place, status, message and detail, and finds the packets behind
 * them beside.
 */
import type { Ingress } from "../engine/pipeline.js";
import type { Family } from "../model/types.js";
import type { Difference, HostQuery } from "../sets/answer.js";
import type { PacketSet } from "../sets/packet-set.js";
import type { Treatment } from "../sets/reach.js";
import type { PacketQuery } from "../sets/text.js";
import type { Ruleset } from "../ruleset/types.js";
import type { OutcomeSpec } from "./outcome.js";

/** Where an expectation is written: its file, and the line and column of its entry. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A set of packets and where they come from. */
export interface PacketsFrom {
  readonly ingress: Ingress;
  readonly query: PacketQuery;
  /** The PACKETSET as the user wrote it. */
  readonly text: string;
}

/** Packets a no-change expectation lets change: from one origin, or from every origin when `ingress` is left out. */
export interface AllowedChange {
  readonly ingress?: Ingress;
  readonly set: PacketSet;
}

export type Expectation =
  | {
      readonly kind: "outcome";
      readonly name: string;
      readonly where: Location;
      readonly packets: PacketsFrom;
      readonly expect: OutcomeSpec;
    }
  | {
      readonly kind: "no-change";
      readonly name: string;
      readonly where: Location;
      /** The rules before the change; the check's rules are the ones after it. */
      readonly before: Ruleset;
      /** Only these packets; by default every packet, arriving on every interface and sent by the host. */
      readonly packets?: PacketsFrom;
      readonly allow: readonly AllowedChange[];
    };

export interface CheckRequest extends HostQuery {
  readonly expectations: readonly Expectation[];
  /**
   * The host as `nfwalk trace` flags (`--addr FILE --route FILE`, `--host FILE`, …), without
   * `--rules`: put in the trace command printed for each counter-example. Default: none.
   */
  readonly hostFlags?: readonly string[];
  /** How trace is given the rules checked; default `--rules FILE` (none when they come with `--host`). */
  readonly rulesFlags?: readonly string[];
}

export type CheckStatus = "pass" | "fail" | "undetermined";

/** Packets that break an outcome expectation, all treated alike. */
export interface BrokenPart {
  readonly treatment: Treatment;
  readonly set: PacketSet;
  /** A PACKET of the set, for `nfwalk trace`. */
  readonly example: string;
}

/** Packets nfwalk cannot decide, and why (for one of them). */
export interface UndeterminedPart {
  readonly ingress: Ingress;
  readonly set: PacketSet;
  readonly example: string;
  readonly reason: string;
}

/** A PACKET that shows the expectation does not hold, and the `nfwalk trace` commands that show it. */
export interface CounterExample {
  readonly packet: string;
  readonly ingress: Ingress;
  /** One command; two for no-change (the rules before, then after). */
  readonly trace: readonly string[];
}

export interface ResultBase {
  readonly name: string;
  readonly where: Location;
  /** The packets' family: the rules' (a dump holds one). */
  readonly family: Family;
  readonly status: CheckStatus;
  /** One line: what holds, or what breaks it. */
  readonly message: string;
  readonly counterExample?: CounterExample;
  readonly undetermined: readonly UndeterminedPart[];
}

/** An expectation's result before its detail is written. */
export type ExpectationFinding =
  | (ResultBase & { readonly kind: "outcome"; readonly packets: PacketsFrom; readonly expect: OutcomeSpec; readonly broken: readonly BrokenPart[] })
  | (ResultBase & { readonly kind: "no-change"; readonly before: string; readonly packets?: PacketsFrom; readonly broken: readonly Difference[] });

export type ExpectationResult = ExpectationFinding & {
  /** Lines for a person: what was expected, the packets that break it or that nfwalk cannot decide, and the trace commands of the counter-example. */
  readonly detail: string;
};

export interface CheckReport {
  /** One result an expectation, in order. */
  readonly results: readonly ExpectationResult[];
  /** What nfwalk assumed about the host and the packets. */
  readonly assumed: readonly string[];
}
