/**
 * The proof behind every fix `why` prints: the fix is made on the rules (change.ts), the
 * packet is traced again, and so is its reply (the connection's next packet the other way,
 * conntrack state ESTABLISHED, NAT undone); the fix is good only when the packet reaches its
 * destination and the reply gets back where the packet came from. What else it changes is
 * the packet sets' exact diff of the rules without and with it (fix-diff.ts).
 */
import { tracePacket, type Ingress, type TraceRequest } from "../engine/pipeline.js";
import { describePacket } from "../packet/format.js";
import type { Packet } from "../packet/packet.js";
import type { Trace } from "../engine/types.js";
import { applyChanges, type Change, type World } from "./change.js";
import { fixDiff, type FixDiff } from "./fix-diff.js";

/** The asked packet and what the trace needs besides the world. */
export interface Question extends Pick<TraceRequest, "packet" | "ingress" | "assume" | "socket" | "conntrack"> {}

export interface Proof {
  /** With the fix: what happens to the packet, and to its reply. */
  readonly packet: string;
  readonly reply: string;
  /** What else the fix changes: the diff of the world without and with it. */
  readonly diff: FixDiff;
}

const REACHED = new Set(["delivered", "forwarded", "sent"]);

export function traceIn(world: World, q: Question, packet: Packet = q.packet, ingress: Ingress = q.ingress, connection: TraceRequest["connection"] = "first"): Trace {
  return tracePacket({
    ...world,
    ...(world.ipsets && { ipsets: world.ipsets }),
    packet,
    ingress,
    connection,
    ...(q.assume && { assume: q.assume }),
    ...(q.socket && { socket: q.socket }),
    ...(q.conntrack && { conntrack: q.conntrack }),
  });
}

/** Where the reply must arrive: back on the interface the packet came in on, or to the host that sent it. */
export function replyGetsBack(reply: Trace, ingress: Ingress): boolean {
  if (ingress.kind === "local") return reply.outcome === "delivered";
  return (reply.outcome === "forwarded" || reply.outcome === "sent") && reply.egress?.interface === ingress.name;
}

export const reachedOutcome = (trace: Trace): boolean => REACHED.has(trace.outcome);

/** The proof that the changes let the packet through and its reply back, or undefined when they do not (or cannot be made). */
export function prove(world: World, q: Question, changes: readonly Change[]): Proof | undefined {
  const fixed = applyChanges(world, changes);
  if ("error" in fixed) return undefined;
  const trace = traceIn(fixed, q);
  if (!reachedOutcome(trace)) return undefined;
  const reply = traceIn(fixed, q, q.packet, q.ingress, "reply");
  if (!replyGetsBack(reply, q.ingress)) return undefined;
  return { packet: outcomeWords(trace), reply: outcomeWords(reply), diff: changes.length === 0 ? { differences: [], size: 0 } : fixDiff(world, fixed, q.packet, q.ingress) };
}

/** Proof for asking another packet instead (the published port rather than the container's address): it and its reply get through unchanged rules. */
export function proveInstead(world: World, q: Question, packet: Packet): Proof | undefined {
  return prove(world, { ...q, packet }, []);
}

export function outcomeWords(trace: Trace): string {
  switch (trace.outcome) {
    case "delivered":
      return `delivered to the host as ${describePacket(trace.delivered!.packet)}`;
    case "forwarded":
    case "sent":
      return `${trace.outcome} out of ${trace.egress!.interface} as ${describePacket(trace.egress!.packet)}`;
    default:
      return `${trace.outcome} (${trace.reason})`;
  }
}
