/**
 * The trace as JSON, exactly in the shape of the command-line contract
 * (../shared/spec/interface.md): packet, outcome, egress or delivered, steps;
 * plus ingress, reason and branches, which the contract allows as growth.
 */
import { protocolName } from "../ext/values.js";
import { formatAddress } from "../packet/format.js";
import { hasPorts, type Packet } from "../packet/packet.js";
import type { Branch, Step, Trace } from "./types.js";

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
  const proto = t.kind === "other" ? (protocolName(packet.protocol) ?? String(packet.protocol)) : t.kind;
  const base = { proto, src: formatAddress(packet.src), dst: formatAddress(packet.dst) };
  if (hasPorts(t)) return { ...base, sport: t.sport, dport: t.dport };
  if (t.kind === "icmp" || t.kind === "icmpv6") return { ...base, type: t.type, code: t.code };
  return base;
}

function endJson(b: Pick<Branch, "egress" | "delivered" | "randomPorts">): object {
  const header = (packet: Packet): PacketJson => ({ ...packetJson(packet), ...Object.fromEntries((b.randomPorts ?? []).map((field) => [field, null])) });
  return {
    ...(b.egress && { egress: { interface: b.egress.interface, packet: header(b.egress.packet) } }),
    ...(b.delivered && { delivered: { packet: header(b.delivered.packet) } }),
  };
}

export function traceJson(trace: Trace): object {
  return {
    packet: packetJson(trace.packet),
    ingress: trace.ingress,
    outcome: trace.outcome,
    reason: trace.reason,
    ...endJson(trace),
    steps: trace.steps.map(stepJson),
    ...(trace.branches.length > 1 && {
      branches: trace.branches.map((b) => ({
        outcome: b.outcome,
        reason: b.reason,
        ...(b.probability !== undefined && { probability: b.probability }),
        ...endJson(b),
        steps: b.steps.map(stepJson),
      })),
    }),
  };
}

/** Steps are plain data already; rule and policy steps keep the contract's keys in its order. */
function stepJson(step: Step): object {
  if (step.type === "rule") {
    const { hook, table, chain, type, rule, line, target } = step;
    return { hook, table, chain, type, rule, line, ...(target !== undefined && { target }) };
  }
  if (step.type === "policy") {
    const { hook, table, chain, type, policy } = step;
    return { hook, table, chain, type, policy };
  }
  return step;
}
