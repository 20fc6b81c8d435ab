/**
 * The way through the host, hook by hook and table by table in priority
 * order (model/hook-order.ts: raw −300, conntrack −200, mangle −150, nat-dst −100,
 * filter 0, nat-src 100, security 150 as iptables-nft registers it), with routing between the hooks:
 *
 *   arriving:  PREROUTING → routing → INPUT (delivered)
 *                                   → FORWARD → POSTROUTING (forwarded)
 *   sent:      routing → OUTPUT → re-routing → POSTROUTING → out (sent)
 *                                                          → lo → PREROUTING → INPUT (delivered)
 *
 * Each stage maps every branch (Flow) to the branches that go on, or ends it.
 */
import { withMeta, type Meta, type NatRequest } from "../ext/semantics.js";
import { bridgeOf, masqueradeAddress, receiveCheck, redirectAddress, rerouteOutput, routeInput, routeOutput, type Host, type RouteDecision } from "../host/index.js";
import type { Hook, TableName } from "../model/types.js";
import { HOOK_TABLES } from "../model/hook-order.js";
import type { Ruleset } from "../ruleset/types.js";
import { hasPorts, withHeader, withPorts, type Packet } from "../packet/packet.js";
import type { Branch, EndPoint, RouteStep, Trace } from "./types.js";
import type { Tuple } from "../ext/semantics.js";
import { describePacket, sameAddress } from "../packet/format.js";
import type { IpsetContents } from "../host/ipset.js";
import { hostView } from "./host-view.js";
import { firstPacketState, reverseTuple, tupleOf } from "./conntrack.js";
import { conntrackUse, type ConntrackAssumption, type ConntrackUse } from "./conntrack-use.js";
import type { Flow } from "./flow.js";
import { applyNat, type NatSide } from "./nat.js";
import { summarize } from "./summary.js";
import { walkHook, type Assumptions, type WalkContext, type WalkEnd } from "./walk.js";

/** Where a packet enters: on an interface, or from a process on the host. */
export type Ingress = { readonly kind: "interface"; readonly name: string } | { readonly kind: "local" };

export interface TraceRequest {
  readonly ruleset: Ruleset;
  readonly host: Host;
  readonly packet: Packet;
  readonly ingress: Ingress;
  /** Pins unknown matches; by default every unknown match forks. */
  readonly assume?: Assumptions;
  /** Owner of the sending socket, for locally sent packets (-m owner). */
  readonly socket?: { readonly uid: number; readonly gid: number };
  /** How many unknown matches nfwalk follows both ways before it stops (default 64). */
  readonly maxForks?: number;
  /** The host's ipsets (`ipset save`), for -m set; without them set matches are unknown. */
  readonly ipsets?: IpsetContents;
  /**
   * Which packet of the connection: its first (default); a later one in the
   * same direction once both sides have spoken; or a reply. For the last two
   * the first packet is traced first, to set up the conntrack entry and its NAT.
   */
  readonly connection?: ConnectionPacket;
  /**
   * What the user knows about connection tracking on the host beyond the rules: "on" when
   * something outside them needs it. By default it is derived from the rules (conntrack-use.ts).
   */
  readonly conntrack?: ConntrackAssumption;
  /** Keep what the engine saw at each table and decision (Branch.seen), for explanations. */
  readonly record?: boolean;
}

/** Which packet of a connection a trace follows: the first, a later one in the same direction, or a reply. */
export type ConnectionPacket = "first" | "established" | "reply";

/** A connection conntrack already knows: what a later packet's walk starts from. */
export interface Established {
  readonly direction: "original" | "reply";
  /** The tuples of the connection: as first seen, and as its replies travel (after NAT). */
  readonly original: Tuple;
  readonly replyTuple: Tuple;
  readonly status: number;
  readonly meta: Meta;
}

/** nat at PREROUTING and OUTPUT rewrites the destination, at INPUT and POSTROUTING the source. */
const NAT_SIDE: Readonly<Record<Hook, NatSide>> = {
  PREROUTING: "destination",
  OUTPUT: "destination",
  INPUT: "source",
  POSTROUTING: "source",
  FORWARD: "source",
};

const IPS_SRC_NAT = 1 << 4;
const IPS_DST_NAT = 1 << 5;

type BranchEnd = Omit<Branch, "steps" | "probability">;
type Ended = { readonly flow: Flow; readonly end: BranchEnd };
type StageResult = Flow | Ended;
type Stage = (flow: Flow) => StageResult[];

function isEnded(r: StageResult): r is Ended {
  return "end" in r;
}

/** A stage applied to every branch still going; ended branches pass through. Loops rather than flatMap: this runs at every table of every trace. */
function then(results: StageResult[], stage: Stage): StageResult[] {
  // Most packets go on as one branch: its stage's results as they are.
  if (results.length === 1 && !isEnded(results[0]!)) return stage(results[0]!);
  const next: StageResult[] = [];
  for (const r of results) {
    if (isEnded(r)) next.push(r);
    else for (const s of stage(r)) next.push(s);
  }
  return next;
}

export function tracePacket(request: TraceRequest): Trace {
  const which = request.connection ?? "first";
  const tracking = conntrackUse(request.ruleset, request.conntrack);
  const first = new Tracer(request, tracking, undefined).trace();
  if (which === "first") return first;
  return laterPacket(request, tracking, first, which);
}

const IPS_SEEN_REPLY = 1 << 1;
const IPS_ASSURED = 1 << 2;
const IPS_CONFIRMED = 1 << 3;

/** Traces a later packet of the connection the first trace set up, or says why there is none. */
function laterPacket(request: TraceRequest, tracking: ConntrackUse, first: Trace, which: "established" | "reply"): Trace {
  const through = first.branches.find((b) => b.outcome === "delivered" || b.outcome === "forwarded" || b.outcome === "sent");
  const end = through?.egress?.packet ?? through?.delivered?.packet;
  if (!through || !end) {
    return { ...first, reason: `there is no connection: its first packet does not get through (${first.reason})` };
  }
  const packet = which === "established" ? laterInSameDirection(request.packet) : replyTo(end);
  const ingress: Ingress = which === "established" ? request.ingress : through.egress ? { kind: "interface", name: through.egress.interface } : { kind: "local" };
  // No conntrack entry (conntrack off, an INVALID or untracked first packet): the later packet meets conntrack on its own.
  const connection = through.connection;
  const established: Established | undefined = connection && {
    direction: which === "established" ? "original" : "reply",
    original: connection.original,
    replyTuple: connection.replyTuple,
    status: connection.status | IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED,
    meta: withMeta(connection.meta, { mark: 0 }),
  };
  return new Tracer({ ...request, packet, ingress }, tracking, established).trace();
}

/** The same flow later on: TCP's first SYN becomes an ACK. */
function laterInSameDirection(packet: Packet): Packet {
  const t = packet.transport;
  return t.kind === "tcp" && t.flags === TCP_SYN ? withHeader(packet, { transport: withPorts(t, t.sport, t.dport, TCP_ACK) }) : packet;
}

/** The answer to a packet as it arrived: addresses and ports swapped, a SYN answered by SYN-ACK, an echo request by its reply. */
function replyTo(packet: Packet): Packet {
  const t = packet.transport;
  const transport: Packet["transport"] =
    t.kind === "tcp"
      ? withPorts(t, t.dport, t.sport, t.flags & TCP_SYN ? TCP_SYN | TCP_ACK : TCP_ACK)
      : hasPorts(t)
        ? withPorts(t, t.dport, t.sport)
        : (t.kind === "icmp" && t.type === 8) || (t.kind === "icmpv6" && t.type === 128)
          ? { kind: t.kind, type: t.kind === "icmp" ? 0 : 129, code: t.code }
          : t;
  return withHeader(packet, { src: packet.dst, dst: packet.src, transport, ttl: 64 });
}

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;

class Tracer {
  private readonly ctx: WalkContext;
  private readonly host: Host;

  constructor(
    private readonly request: TraceRequest,
    private readonly tracking: ConntrackUse,
    private readonly established: Established | undefined,
  ) {
    const host = (this.host = request.host);
    const view = hostView(host, request.ipsets);
    this.ctx = {
      host: view,
      assume: request.assume ?? (() => undefined),
      budget: { forks: request.maxForks ?? 64 },
      socket: request.ingress.kind === "local" ? (request.socket ?? { uid: 0, gid: 0 }) : undefined,
    };
  }

  trace(): Trace {
    const { packet, ingress } = this.request;
    const stages = ingress.kind === "local" ? this.sendingPath() : this.arrivingPath(false);
    const ends = run([this.initialFlow()], stages);
    const branches = ends.map(
      ({ flow, end }): Branch => ({
        outcome: end.outcome,
        reason: end.reason,
        egress: end.egress,
        delivered: end.delivered,
        randomPorts: flow.randomPorts.length > 0 ? flow.randomPorts : undefined,
        probability: flow.probability,
        steps: flow.steps,
        connection: connectionOf(flow),
        endPoint: endPointOf(flow),
        seen: flow.seen,
      }),
    );
    return summarize(packet, ingress.kind === "local" ? { local: true } : { interface: ingress.name }, branches, this.tracking);
  }

  private initialFlow(): Flow {
    const { packet, ingress } = this.request;
    const meta: Meta = this.established?.meta ?? { mark: 0, connmark: 0, untracked: false, zone: 0, helper: undefined };
    const arrival = ingress.kind === "interface" ? ingress.name : undefined;
    const bridge = arrival === undefined ? undefined : bridgeOf(this.host, arrival);
    return {
      packet,
      meta,
      // Until conntrack runs (after the raw table) the packet has no entry, which --ctstate sees as INVALID.
      conntrack: { state: "INVALID", reply: false, status: 0, original: undefined, replyTuple: undefined },
      inInterface: bridge ?? arrival,
      outInterface: undefined,
      // The bridge port is visible to -m physdev only through br_netfilter.
      physIn: bridge !== undefined && this.host.sysctls.bridgeNfCall[packet.family] ? arrival : undefined,
      physOut: undefined,
      linkType: arrival === undefined ? undefined : linkTypeOf(this.host, packet, bridge ?? arrival),
      routedLocally: false,
      nextHop: undefined,
      natDone: { source: false, destination: false },
      tracked: false,
      steps: [],
      probability: undefined,
      randomPorts: [],
      seen: this.request.record ? [] : undefined,
    };
  }

  private arrivingPath(looped: boolean): Stage[] {
    // A packet looping back through lo was tracked and NATed on its way out: nat does not run again.
    const prerouting: readonly TableName[] = looped ? ["raw", "mangle"] : HOOK_TABLES.PREROUTING;
    return [...(looped ? [] : [(f: Flow) => this.receive(f), (f: Flow) => this.defragment(f, "PREROUTING")]), (f) => this.hook(f, "PREROUTING", prerouting), (f) => this.routeArriving(f, looped)];
  }

  private sendingPath(): Stage[] {
    return [
      (f) => this.defragment(f, "OUTPUT"),
      (f) => this.routeSending(f, "route"),
      (f) => this.hook(f, "OUTPUT", HOOK_TABLES.OUTPUT),
      (f) => this.hook(f, "POSTROUTING", HOOK_TABLES.POSTROUTING),
      (f) => this.leave(f),
    ];
  }

  /** What the IP layer drops before netfilter sees the packet (ipv6_rcv's address checks). */
  private receive(flow: Flow): StageResult[] {
    const drop = receiveCheck(this.host, flow.packet, flow.inInterface ?? "");
    if (!drop) return [flow];
    flow.steps.push({ type: "route", decision: "drop", dropped: drop.reason, detail: drop.detail });
    return [{ flow, end: { outcome: "dropped", reason: drop.detail } }];
  }

  /**
   * Defragmentation (nf_defrag, priority −400, on while conntrack or a socket/TPROXY rule
   * needs it) reassembles fragments before the raw table: a later fragment alone waits
   * for the rest and meets no rule. Without it every fragment meets the rules as it is.
   */
  private defragment(flow: Flow, hook: Hook): StageResult[] {
    if (flow.packet.fragmentOffset === 0) return [flow];
    if (!this.tracking.defragments) {
      flow.steps.push({
        type: "note",
        detail: `${hook}: no defragmentation runs on this host (connection tracking is off and no socket or TPROXY rule asks for it); the fragment meets the rules as it is`,
      });
      return [flow];
    }
    const detail = "a later fragment waits in defragmentation for the rest of its packet, before any rule sees it";
    flow.steps.push({ type: "note", detail: `${hook}: ${detail}` });
    return [{ flow, end: { outcome: "dropped", reason: `${detail}; alone, it is never delivered` } }];
  }

  /** A hook's tables in order; conntrack gives the state right after the raw table. */
  private hook(flow: Flow, hook: Hook, tables: readonly TableName[]): StageResult[] {
    let results: StageResult[] = [flow];
    for (const table of tables) {
      results = then(results, (f) => this.tableThenReroute(f, hook, table));
      if (table === "raw") for (const r of results) if (!isEnded(r)) this.track(r, hook);
    }
    return results;
  }

  /**
   * A locally sent packet is routed again when its own tables change what
   * routing looks at: mangle OUTPUT when the addresses, mark or TOS changed
   * (ipt_mangle_out), nat OUTPUT when DNAT changed the destination
   * (nf_nat_ipv4_local_fn); a MARK elsewhere does not re-route it.
   */
  private tableThenReroute(flow: Flow, hook: Hook, table: TableName): StageResult[] {
    if (hook !== "OUTPUT" || (table !== "mangle" && table !== "nat")) return this.table(flow, hook, table);
    const before = { packet: flow.packet, mark: flow.meta.mark };
    return then(this.table(flow, hook, table), (r) => {
      const { packet, meta } = r;
      const moved = !sameAddress(packet.dst, before.packet.dst);
      const changed = table === "nat" ? moved : moved || !sameAddress(packet.src, before.packet.src) || meta.mark !== before.mark || packet.tos !== before.packet.tos;
      return changed ? this.routeSending(r, "reroute") : [r];
    });
  }

  /** Conntrack's place in the hook (once a packet: a packet looping back through lo was tracked on its way out). */
  private track(flow: Flow, hook: Hook): void {
    if (flow.tracked) return;
    flow.tracked = true;
    if (!this.tracking.active) {
      // No entry: the packet keeps the "no conntrack" view the raw table had; no match can ask (none is loaded).
      flow.steps.push({ type: "conntrack", hook, state: "off", detail: this.tracking.reason });
      return;
    }
    const known = this.established;
    if (known && !flow.meta.untracked) {
      const reply = known.direction === "reply";
      flow.conntrack = { state: "ESTABLISHED", reply, status: known.status, original: known.original, replyTuple: known.replyTuple };
      flow.natDone = { source: true, destination: true };
      const detail = reply ? "a reply of a known connection is ESTABLISHED" : "a later packet of a connection whose replies were seen is ESTABLISHED";
      flow.steps.push({ type: "conntrack", hook, state: "ESTABLISHED", detail });
      return;
    }
    const first = flow.meta.untracked ? { state: "UNTRACKED" as const, why: "a raw-table rule (NOTRACK, CT --notrack) took the packet out of connection tracking" } : firstPacketState(flow.packet);
    // Field by field (no spread), one shape for every connection: this runs once a trace.
    const { reply, status, original, replyTuple } = flow.conntrack;
    const tuple = first.state === "NEW" ? tupleOf(flow.packet) : undefined;
    flow.conntrack = tuple ? { state: "NEW", reply, status, original: tuple, replyTuple: reverseTuple(tuple) } : { state: first.state, reply, status, original, replyTuple };
    flow.steps.push({ type: "conntrack", hook, state: first.state, detail: first.why });
  }

  private table(flow: Flow, hook: Hook, name: TableName): StageResult[] {
    const table = this.request.ruleset.tablesByName.get(name);
    if (!table) return [flow];
    // nf_nat_inet_fn: a packet without a conntrack entry passes the nat hooks without their chains.
    if (name === "nat" && !this.tracking.active) return [flow];
    if (name === "nat" && flow.conntrack.state === "ESTABLISHED") return [this.natOfConnection(flow, hook)];
    if (name === "nat" && (flow.conntrack.state !== "NEW" || flow.natDone[NAT_SIDE[hook]])) return [flow];
    const walked = walkHook(this.ctx, table, hook, flow);
    const results: StageResult[] = [];
    for (const { flow: f, end } of walked) results.push(this.walkEnd(f, hook, name, end));
    return results;
  }

  /** What the end of a table's walk means for the branch. */
  private walkEnd(flow: Flow, hook: Hook, name: TableName, end: WalkEnd): StageResult {
    switch (end.kind) {
      case "accept":
        if (name === "nat") flow.natDone = natBound(flow.natDone, NAT_SIDE[hook]);
        return flow;
      case "drop":
        return { flow, end: { outcome: "dropped", reason: end.reason } };
      case "reject":
        return { flow, end: { outcome: "rejected", reason: `rejected with ${end.reply}` } };
      case "unknown":
        return { flow, end: { outcome: "undetermined", reason: end.reason } };
      case "nat":
        return this.nat(flow, hook, end.request);
    }
  }

  private nat(flow: Flow, hook: Hook, request: NatRequest): StageResult {
    const side = NAT_SIDE[hook];
    const before = flow.packet;
    const interfaceAddress =
      request.kind === "masquerade"
        ? masqueradeAddress(this.host, flow.outInterface ?? "", flow.nextHop ?? before.dst)
        : request.kind === "redirect"
          ? redirectAddress(this.host, hook === "OUTPUT" ? undefined : flow.inInterface, before.dst)
          : undefined;
    const outcome = applyNat(before, request, side, interfaceAddress);
    if (typeof outcome === "string") return { flow, end: { outcome: "dropped", reason: outcome } };
    flow.packet = outcome.packet;
    if (outcome.randomPort) flow.randomPorts.push(outcome.randomPort);
    flow.natDone = natBound(flow.natDone, side);
    const { state, reply, status, original, replyTuple } = flow.conntrack;
    flow.conntrack = {
      state,
      reply,
      status: status | (side === "source" ? IPS_SRC_NAT : IPS_DST_NAT),
      original,
      replyTuple: original ? reverseTuple(tupleOf(outcome.packet)) : replyTuple,
    };
    const detail = outcome.notes.length > 0 ? outcome.notes.join("; ") : undefined;
    flow.steps.push({ type: "nat", hook, kind: request.kind, before: describePacket(before), after: describePacket(outcome.packet), detail });
    return flow;
  }

  /**
   * A known connection's packets are rewritten by its NAT binding without
   * any nat rule (nf_nat_packet): towards the reply tuple's mirror in the
   * original direction, towards the original tuple's mirror for replies.
   */
  private natOfConnection(flow: Flow, hook: Hook): Flow {
    const { original, replyTuple, reply } = flow.conntrack;
    if (!original || !replyTuple) return flow;
    const target = reverseTuple(reply ? original : replyTuple);
    const side = NAT_SIDE[hook];
    const before = flow.packet;
    const after = rewriteTo(before, target, side);
    if (after === before) return flow;
    flow.packet = after;
    const kind = side === "destination" ? (reply ? "snat" : "dnat") : reply ? "dnat" : "snat";
    flow.steps.push({
      type: "nat",
      hook,
      kind,
      before: describePacket(before),
      after: describePacket(after),
      detail: reply ? "the connection's NAT, undone for its reply" : "the connection's NAT, as its first packet set it up",
    });
    return flow;
  }

  private routeArriving(flow: Flow, looped: boolean): StageResult[] {
    if (looped) {
      flow.linkType = "unicast";
      flow.steps.push({ type: "route", decision: "local", interface: "lo", detail: "a packet routed to this host comes back in through lo and is delivered" });
      return this.deliver(flow);
    }
    const decision = routeInput(this.host, flow.packet, flow.inInterface ?? "");
    flow.steps.push(routeStep(decision));
    if (decision.kind === "drop") return [{ flow, end: { outcome: "dropped", reason: decision.detail } }];
    return decision.kind === "local" ? this.deliver(flow) : this.forward(flow, decision);
  }

  /**
   * Without nf_defrag earlier, local delivery is where a lone later fragment waits for the rest of its
   * packet: IPv4 reassembles in ip_local_deliver, before INPUT; IPv6 in its fragment header's handler, after INPUT.
   */
  private deliver(flow: Flow): StageResult[] {
    const fragment = flow.packet.fragmentOffset !== 0;
    const held = (f: Flow, when: string): StageResult => {
      const reason = `a later fragment waits for the rest of its packet in reassembly at local delivery, ${when}; alone, it is never delivered`;
      f.steps.push({ type: "note", detail: reason });
      return { flow: f, end: { outcome: "dropped", reason } };
    };
    if (fragment && flow.packet.family === "ipv4") return [held(flow, "before INPUT")];
    return then(this.hook(flow, "INPUT", HOOK_TABLES.INPUT), (r) => [
      fragment ? held(r, "after INPUT") : { flow: r, end: { outcome: "delivered", reason: "delivered to a local process", delivered: { packet: r.packet } } },
    ]);
  }

  private forward(flow: Flow, decision: Extract<RouteDecision, { kind: "forward" }>): StageResult[] {
    // ip_forward() spends the TTL before the FORWARD hook (routing already refused TTL 1).
    flow.packet = withHeader(flow.packet, { ttl: flow.packet.ttl - 1 });
    flow.outInterface = decision.device;
    flow.nextHop = decision.gateway ?? flow.packet.dst;
    const results = then(this.hook(flow, "FORWARD", HOOK_TABLES.FORWARD), (r) => this.hook(r, "POSTROUTING", HOOK_TABLES.POSTROUTING));
    return then(results, (r) => [{ flow: r, end: { outcome: "forwarded", reason: `forwarded out of ${decision.device}`, egress: { interface: decision.device, packet: r.packet } } }]);
  }

  private routeSending(flow: Flow, why: "route" | "reroute"): StageResult[] {
    const decision = why === "reroute" ? rerouteOutput(this.host, flow.packet) : routeOutput(this.host, flow.packet);
    flow.steps.push(routeStep(decision, why === "reroute" ? "routed again after OUTPUT changed the packet: " : ""));
    if (decision.kind === "drop") return [{ flow, end: { outcome: "dropped", reason: decision.detail } }];
    flow.outInterface = decision.device;
    flow.nextHop = decision.kind === "forward" ? (decision.gateway ?? flow.packet.dst) : flow.packet.dst;
    flow.routedLocally = decision.kind === "local";
    return [flow];
  }

  private leave(flow: Flow): StageResult[] {
    if (flow.routedLocally) {
      flow.inInterface = "lo";
      flow.outInterface = undefined;
      return run([flow], this.arrivingPath(true));
    }
    const device = flow.outInterface ?? "";
    return [{ flow, end: { outcome: "sent", reason: `sent out of ${device}`, egress: { interface: device, packet: flow.packet } } }];
  }
}

function run(flows: Flow[], stages: readonly Stage[]): Ended[] {
  const ended: Ended[] = [];
  let current = flows;
  for (const stage of stages) {
    const next: Flow[] = [];
    for (const flow of current) for (const r of stage(flow)) isEnded(r) ? ended.push(r) : next.push(r);
    current = next;
  }
  for (const flow of current) ended.push({ flow, end: { outcome: "dropped", reason: "the path ended without a decision" } });
  return ended;
}

function routeStep(decision: RouteDecision, prefix = ""): RouteStep {
  const detail = prefix + decision.detail;
  return decision.kind === "drop" ? { type: "route", decision: "drop", dropped: decision.reason, detail } : { type: "route", decision: decision.kind, interface: decision.device, detail };
}

/** The sides NAT has bound, with `side` bound too. */
function natBound(done: Flow["natDone"], side: NatSide): Flow["natDone"] {
  return side === "source" ? { source: true, destination: done.destination } : { source: done.source, destination: true };
}

/** The connection a branch leaves behind, for tracing its later packets. */
function connectionOf(flow: Flow): Branch["connection"] {
  const { original, replyTuple, status } = flow.conntrack;
  return original && replyTuple ? { original, replyTuple, status, meta: flow.meta } : undefined;
}

function endPointOf(flow: Flow): EndPoint {
  const { packet, inInterface, outInterface, physIn, physOut, meta } = flow;
  const { state, reply, original, replyTuple, status } = flow.conntrack;
  const conntrack = { state, reply, original, replyTuple, status, mark: meta.connmark, helper: meta.helper, zone: meta.zone };
  return { packet, inInterface, outInterface, physIn, physOut, mark: meta.mark, conntrack };
}

/** The packet with one side (address and port) taken from `target`; the same object when nothing changes. */
function rewriteTo(packet: Packet, target: Tuple, side: "source" | "destination"): Packet {
  const address = side === "source" ? target.src : target.dst;
  const port = side === "source" ? target.sport : target.dport;
  const t = packet.transport;
  const current = side === "source" ? packet.src : packet.dst;
  const currentPort = hasPorts(t) ? (side === "source" ? t.sport : t.dport) : undefined;
  if (sameAddress(current, address) && currentPort === port) return packet;
  const transport = hasPorts(t) && port !== undefined ? (side === "source" ? withPorts(t, port, t.dport) : withPorts(t, t.sport, port)) : t;
  return withHeader(packet, side === "source" ? { src: address, transport } : { dst: address, transport });
}

/**
 * How the frame was addressed, as the receiving device sets skb->pkt_type:
 * a multicast group, the limited or the device's subnet broadcast, else to this host.
 */
function linkTypeOf(host: Host, packet: Packet, device: string): "unicast" | "broadcast" | "multicast" {
  const dst = packet.dst;
  if (dst.family === "ipv6") return dst.value >> 120n === 0xffn ? "multicast" : "unicast";
  if (dst.value >>> 28 === 0xe) return "multicast";
  if (dst.value === 0xffffffff) return "broadcast";
  const addresses = host.interfaces.find((i) => i.name === device)?.addresses ?? [];
  return addresses.some((a) => a.broadcast && sameAddress(a.broadcast, dst)) ? "broadcast" : "unicast";
}
