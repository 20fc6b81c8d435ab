/**
 * The trace as JSON, exactly in the shape of the command-line contract
 * (../shared/spec/interface.md): packet, outcome, egress or delivered, steps;
 * plus ingress, reason and branches, which the contract allows as growth.
 * Steps are plain data already, rule and policy steps with the contract's
 * keys in its order (the walk builds them so).
 */
import { protocolName } from "../ext/values.js";
import { formatAddress } from "../packet/format.js";
import { hasPorts, type Packet } from "../packet/packet.js";
import type { Branch, Trace } from "../engine/types.js";

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
  const src = formatAddress(packet.src);
  const dst = formatAddress(packet.dst);
  if (hasPorts(t)) return { proto, src, dst, sport: t.sport, dport: t.dport };
  if (t.kind === "icmp" || t.kind === "icmpv6") return { proto, src, dst, type: t.type, code: t.code };
  return { proto, src, dst };
}

// Absent parts are left undefined, which JSON.stringify leaves out: cheaper than spreading
// `cond && {…}` into the object, and this runs for every trace of a batch.

function headerJson(packet: Packet, randomPorts: Branch["randomPorts"]): PacketJson {
  const json = packetJson(packet);
  return randomPorts === undefined || randomPorts.length === 0 ? json : { ...json, ...Object.fromEntries(randomPorts.map((field) => [field, null])) };
}

function egressJson(b: Pick<Branch, "egress" | "randomPorts">): object | undefined {
  return b.egress && { interface: b.egress.interface, packet: headerJson(b.egress.packet, b.randomPorts) };
}

function deliveredJson(b: Pick<Branch, "delivered" | "randomPorts">): object | undefined {
  return b.delivered && { packet: headerJson(b.delivered.packet, b.randomPorts) };
}

export function traceJson(trace: Trace): object {
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

/**
 * The trace as one line of JSON (without the line end), with every non-ASCII
 * character escaped (`→` as `\u2192`): the same JSON value, and a string V8
 * keeps one byte a character, which it writes out several times faster than
 * one with a single wider character in it (a batch prints megabytes).
 */
export function traceJsonLine(trace: Trace): string {
  const json = JSON.stringify(traceJson(trace));
  // All ASCII exactly when UTF-8 needs one byte a character (this is quicker to ask than a regular expression).
  if (Buffer.byteLength(json) === json.length) return json;
  // replace() keeps the wide representation; a round trip through latin1 makes the all-ASCII text one byte a character again.
  return Buffer.from(json.replace(NON_ASCII, escapeChar), "latin1").toString("latin1");
}

const NON_ASCII = /[^\x00-\x7f]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
