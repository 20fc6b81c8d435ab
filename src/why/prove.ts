/**
 * The proof behind every fix `why` prints: the fix is made on the rules (change.ts), the
 * packet is traced again, and so is its reply (the connection's next packet the other way,
 * conntrack state ESTABLISHED, NAT undone); the fix is good only when the packet reaches its
 * destination and the reply gets back where the packet came from. Packets near the asked one
 * (another source, source port, destination port, protocol, arrival interface) are traced
 * with and without the fix, to say what else it lets through or stops.
 */
import { tracePacket, type Ingress, type TraceRequest } from "../engine/pipeline.js";
import { addressType } from "../host/index.js";
import { parseAddress } from "../host/prefix.js";
import { describePacket, formatAddress, sameAddress } from "../packet/format.js";
import { hasPorts, type Address, type Packet } from "../packet/packet.js";
import type { Trace } from "../engine/types.js";
import { protocolName } from "../ext/values.js";
import { formatTcpFlags } from "../ext/match/tcp.js";
import { applyChanges, type Change, type World } from "./change.js";

/** The asked packet and what the trace needs besides the world. */
export interface Question extends Pick<TraceRequest, "packet" | "ingress" | "assume" | "socket" | "conntrack"> {}

export interface Proof {
  /** With the fix: what happens to the packet, and to its reply. */
  readonly packet: string;
  readonly reply: string;
  /** Packets near the asked one whose outcome the fix changes. */
  readonly alsoChanges: readonly ProbeChange[];
}

/** A packet one field away from the asked one that the fix lets through or stops. */
export interface ProbeChange {
  readonly change: "lets through" | "stops";
  /** Which field differs, in words: "another source". */
  readonly what: string;
  /** The packet, as PACKET is written for trace (`tcp 198.51.100.77:40000 -> 10.0.0.1:22 [flags SYN]`). */
  readonly packet: string;
  readonly origin: { readonly in: string } | { readonly local: true };
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
  return { packet: outcomeWords(trace), reply: outcomeWords(reply), alsoChanges: changedProbes(world, fixed, q) };
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

interface Probe {
  readonly packet: Packet;
  readonly ingress: Ingress;
  readonly what: string;
}

function changedProbes(before: World, after: World, q: Question): ProbeChange[] {
  const changed: ProbeChange[] = [];
  for (const probe of probes(before, q)) {
    const was = reachedOutcome(traceIn(before, q, probe.packet, probe.ingress));
    const now = reachedOutcome(traceIn(after, q, probe.packet, probe.ingress));
    if (was === now) continue;
    const origin = probe.ingress.kind === "local" ? { local: true as const } : { in: probe.ingress.name };
    changed.push({ change: now ? "lets through" : "stops", what: probe.what, packet: packetText(probe.packet), origin });
  }
  return changed;
}

/** The packet as trace's PACKET argument writes it. */
function packetText(packet: Packet): string {
  const proto = protocolName(packet.protocol) ?? String(packet.protocol);
  const t = packet.transport;
  const options = t.kind === "tcp" ? ` [flags ${formatTcpFlags(t.flags)}]` : t.kind === "icmp" || t.kind === "icmpv6" ? ` [type ${t.type} code ${t.code}]` : "";
  return `${proto} ${describePacket(packet)}${options}`;
}

const OTHER_SOURCES: Readonly<Record<Packet["family"], readonly string[]>> = {
  ipv4: ["198.51.100.77", "203.0.113.77", "192.0.2.77"],
  ipv6: ["2001:db8:ffff::77", "2001:db8:fffe::77"],
};

/** Packets one field away from the asked one, for what else a fix changes. */
function probes(world: World, q: Question): Probe[] {
  const { packet, ingress } = q;
  const host = world.host;
  const isFree = (a: Address) => !sameAddress(a, packet.src) && !sameAddress(a, packet.dst) && addressType(host, a) !== "LOCAL";
  const list: Probe[] = [];
  if (ingress.kind === "interface") {
    const other = OTHER_SOURCES[packet.family].map((text) => parseAddress(text, packet.family)!).find(isFree);
    if (other) list.push({ packet: { ...packet, src: other }, ingress, what: "another source" });
    const neighbour: Address = packet.src.family === "ipv4" ? { family: "ipv4", value: (packet.src.value ^ 1) >>> 0 } : { family: "ipv6", value: packet.src.value ^ 1n };
    if (isFree(neighbour)) list.push({ packet: { ...packet, src: neighbour }, ingress, what: `the source next to ${formatAddress(packet.src)}` });
    for (const i of host.interfaces) {
      if (i.kind !== "loopback" && i.name !== ingress.name) list.push({ packet, ingress: { kind: "interface", name: i.name }, what: `the same packet on ${i.name}` });
    }
  }
  const t = packet.transport;
  if (hasPorts(t)) {
    list.push({ packet: { ...packet, transport: { ...t, sport: t.sport === 50000 ? 50001 : 50000 } }, ingress, what: "another source port" });
    const dport = t.dport < 65535 ? t.dport + 1 : t.dport - 1;
    list.push({ packet: { ...packet, transport: { ...t, dport } }, ingress, what: "another destination port" });
    if (t.kind === "tcp") list.push({ packet: { ...packet, protocol: 17, transport: { kind: "udp", sport: t.sport, dport: t.dport } }, ingress, what: "udp to the same port" });
  }
  return list;
}
