/**
 * The trace as JSON, exactly in the shape of the command-line contract
 * (../shared/spec/interface.md): packet, outcome, egress or delivered, steps;
 * plus ingress, reason and branches, which the contract allows as growth.
 * Steps are plain data already, rule and policy steps with the contract's
 * keys in its order (the walk builds them so).
 */
import { protocolName } from "../ext/values.js";
import { formatAddress } from "../packet/format.js";
import { hasPorts, isOtherFamilyIcmp, withHeader, type Packet } from "../packet/packet.js";
import type { Branch, Outcome, Step, Trace } from "../engine/types.js";

/** A packet as the JSON contract prints it. */
export interface PacketJson {
  readonly proto: string;
  readonly src: string;
  readonly dst: string;
  /** null: the kernel picks this port at random. */
  readonly sport?: number | null;
  readonly dport?: number | null;
  readonly type?: number;
  readonly code?: number;
}

export function packetJson(packet: Packet): PacketJson {
  const t = packet.transport;
  // The other family's ICMP (next header 1 over IPv6) by number, as trace reads it.
  const proto = t.kind !== "other" ? t.kind : isOtherFamilyIcmp(packet.protocol, packet.family) ? String(packet.protocol) : (protocolName(packet.protocol) ?? String(packet.protocol));
  const src = formatAddress(packet.src);
  const dst = formatAddress(packet.dst);
  if (hasPorts(t)) return { proto, src, dst, sport: t.sport, dport: t.dport };
  if (t.kind === "icmp" || t.kind === "icmpv6") return { proto, src, dst, type: t.type, code: t.code };
  return { proto, src, dst };
}

// Absent parts are left undefined, which JSON.stringify leaves out: cheaper than spreading
// `cond && {…}` into the object, and this runs for every trace of a batch.

function headerJson(packet: Packet, randomPorts: Branch["randomPorts"]): PacketJson {
  // A later fragment carries no transport header: where it leaves, it has no ports, type or code.
  if (packet.fragmentOffset !== 0) return packetJson(withHeader(packet, { transport: { kind: "other" } }));
  const json = packetJson(packet);
  return randomPorts === undefined || randomPorts.length === 0 ? json : { ...json, ...Object.fromEntries(randomPorts.map((field) => [field, null])) };
}

/** Where the packet left, with its header after NAT. */
export interface EgressJson {
  readonly interface: string;
  readonly packet: PacketJson;
}

/** The packet as the host's own socket receives it, after NAT. */
export interface DeliveredJson {
  readonly packet: PacketJson;
}

/** One way the packet can go when a match could not be decided. */
export interface BranchJson {
  readonly outcome: Outcome;
  readonly reason: string;
  /** The chance of this branch, for a random choice. */
  readonly probability: number | undefined;
  readonly egress: EgressJson | undefined;
  readonly delivered: DeliveredJson | undefined;
  readonly steps: readonly Step[];
}

/** A trace in the shape of the command-line contract; absent parts are undefined, which JSON leaves out. */
export interface TraceJson {
  readonly packet: PacketJson;
  readonly ingress: Trace["ingress"];
  readonly outcome: Outcome;
  /** Plain words: what decided the outcome. */
  readonly reason: string;
  readonly egress: EgressJson | undefined;
  readonly delivered: DeliveredJson | undefined;
  /** Every rule and policy whose counters the kernel would increment, and the decisions between them. */
  readonly steps: readonly Step[];
  /** Every way the packet can go, when there is more than one. */
  readonly branches: readonly BranchJson[] | undefined;
}

function egressJson(b: Pick<Branch, "egress" | "randomPorts">): EgressJson | undefined {
  return b.egress && { interface: b.egress.interface, packet: headerJson(b.egress.packet, b.randomPorts) };
}

function deliveredJson(b: Pick<Branch, "delivered" | "randomPorts">): DeliveredJson | undefined {
  return b.delivered && { packet: headerJson(b.delivered.packet, b.randomPorts) };
}

export function traceJson(trace: Trace): TraceJson {
  return {
    packet: packetJson(trace.packet),
    ingress: trace.ingress,
    outcome: trace.outcome,
    reason: trace.reason,
    egress: egressJson(trace),
    delivered: deliveredJson(trace),
    steps: trace.steps,
    branches:
      trace.branches.length > 1
        ? trace.branches.map((b) => ({ outcome: b.outcome, reason: b.reason, probability: b.probability, egress: egressJson(b), delivered: deliveredJson(b), steps: b.steps }))
        : undefined,
  };
}
