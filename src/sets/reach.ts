/**
 * `reach`: what the host does with every packet of a set, walked the way
 * the concrete pipeline (src/engine/pipeline.ts) walks one packet — hooks
 * and tables in priority order, conntrack after raw, routing between the
 * hooks — over set flows. Routing, conntrack's state and MASQUERADE's
 * address split a flow where their answer changes; NAT fixes fields to one
 * value each (a port kept when in the range, as the kernel keeps it).
 *
 * IPv4 and IPv6 alike (a dump is one family); IPv6 also meets ipv6_rcv's
 * address checks before PREROUTING, as trace does.
 *
 * Limits, said to users: first packets of connections (the state conntrack
 * gives a packet it has not seen); a NETMAP, a target that rewrites
 * addresses or ports outside the nat table, and matches without a set
 * interpretation make their packets undetermined.
 */
import { firstPacketState, reverseTuple, tupleOf } from "../engine/conntrack.js";
import { conntrackUse } from "../engine/conntrack-use.js";
import { hostView } from "../engine/host-view.js";
import type { Ingress } from "../engine/pipeline.js";
import type { Outcome } from "../engine/types.js";
import type { Meta, NatRequest } from "../ext/semantics.js";
import { bridgeOf, masqueradeAddress, receiveCheck, redirectAddress, rerouteOutput, routeInput, routeOutput, type Host, type RouteDecision } from "../host/index.js";
import type { Hook, TableName } from "../model/types.js";
import { HOOK_TABLES } from "../model/hook-order.js";
import type { Ruleset } from "../ruleset/types.js";
import type { Address, Packet } from "../packet/packet.js";
import type { IpsetContents } from "../host/ipset.js";
import { NO_REWRITE, pullBack, regions, regionsV6, representative, splitByRegions, type Regions, type Rewrite, type SetFlow } from "./flow.js";
import { hostCuts, hostCutsV6, PROTOCOL_CUTS, setHostView, type HostCutsV6, type V6Cuts } from "./host-set.js";
import * as iv from "./intervals.js";
import { addressPoint, fromWords, wordPositions, wordsOf, type AddressField } from "./address-set.js";
import { boxOf, FIELD_INDEX, intersect, isEmpty, minus, type PacketSet } from "./packet-set.js";
import type { PacketQuery } from "./text.js";
import { walkHookSet, type SetWalkContext } from "./walk.js";
import { PORT_PROTOCOLS } from "../ext/set-semantics.js";

/** How the host treats a part of the set: where it ends, and the header it then has. */
export interface Treatment {
  readonly outcome: Outcome;
  /** The egress interface of forwarded and sent packets. */
  readonly interface?: string;
  /** Header fields NAT set (FIELDS order), for packets that get through. */
  readonly rewrite: Rewrite;
  readonly reason: string;
}

/** Packets (as they arrived) and how they are treated. */
export interface ReachPart {
  readonly set: PacketSet;
  readonly treatment: Treatment;
}

/** What {@link reachParts} walks: the rules and host, the packets and where they arrive. */
export interface ReachRequest {
  readonly ruleset: Ruleset;
  readonly host: Host;
  readonly query: PacketQuery;
  readonly ingress: Ingress;
  readonly ipsets?: IpsetContents;
}

const NAT_SIDE: Readonly<Record<Hook, "source" | "destination">> = {
  PREROUTING: "destination",
  OUTPUT: "destination",
  INPUT: "source",
  POSTROUTING: "source",
  FORWARD: "source",
};

/** Host questions answered once per host, for the whole space (routing, MASQUERADE's address, conntrack's state). */
const REGIONS = new WeakMap<Host, Map<string, Regions<unknown>>>();

/** Routing treats IGMP apart (to a multicast group from 0.0.0.0). */
const ROUTING_PROTOCOL_CUTS: readonly number[] = [2, 3];

const IPS_SRC_NAT = 1 << 4;
const IPS_DST_NAT = 1 << 5;

interface Ended {
  readonly flow: SetFlow;
  readonly outcome: Outcome;
  readonly interface?: string;
  readonly reason: string;
}

type StepResult = { flows: SetFlow[]; ended: Ended[] };

/** The parts of the query by treatment: disjoint, together the whole query. */
export function reachParts(request: ReachRequest): ReachPart[] {
  return new SetReach(request).run();
}

/** Where a host question's answer may change: IPv4 cuts by field, or IPv6 cuts (with protocol cuts). */
type Cuts = { readonly v4: Partial<Record<"proto" | "src" | "dst", readonly number[]>>; readonly v6: V6Cuts & { readonly proto?: readonly number[] } };

class SetReach {
  private readonly ctx: SetWalkContext;
  private readonly cuts: readonly number[];
  private readonly v6: HostCutsV6 | undefined;
  /** Conntrack runs in the host: as the rules need it (engine/conntrack-use.ts); without it nat chains see nothing. */
  private readonly tracking: boolean;

  constructor(private readonly request: ReachRequest) {
    const { host, ipsets } = request;
    const family = request.ruleset.family;
    this.cuts = family === "ipv4" ? hostCuts(host) : [];
    this.v6 = family === "ipv6" ? hostCutsV6(host) : undefined;
    this.tracking = conntrackUse(request.ruleset).active;
    this.ctx = {
      host: hostView(host, ipsets),
      setHost: setHostView(family, this.cuts, this.v6, ipsets),
      socket: request.ingress.kind === "local" ? { uid: 0, gid: 0 } : undefined,
    };
  }

  run(): ReachPart[] {
    const { query, ingress } = this.request;
    if (isEmpty(query.set)) return [];
    const meta: Meta = { mark: 0, connmark: 0, untracked: false, zone: 0, helper: undefined };
    const arrival = ingress.kind === "interface" ? ingress.name : undefined;
    const bridge = arrival === undefined ? undefined : bridgeOf(this.request.host, arrival);
    const start: SetFlow = {
      set: query.set,
      rewrite: NO_REWRITE,
      fixed: query.fixed,
      meta,
      conntrack: { state: "INVALID", reply: false, status: 0 },
      inInterface: bridge ?? arrival,
      outInterface: undefined,
      physIn: bridge !== undefined && this.request.host.sysctls.bridgeNfCall.ipv4 ? arrival : undefined,
      natDone: { source: false, destination: false },
    };
    const ended = ingress.kind === "local" ? this.sending(start) : this.arriving([start], false);
    return ended.map(({ flow, outcome, interface: device, reason }) => ({
      set: flow.set,
      treatment: { outcome, ...(device !== undefined && { interface: device }), rewrite: throughRewrite(outcome, flow.rewrite), reason },
    }));
  }

  private arriving(given: SetFlow[], looped: boolean): Ended[] {
    const ended: Ended[] = [];
    const flows = looped ? given : given.flatMap((f) => this.receive(f, ended));
    // A packet looping back through lo was tracked and NATed on its way out: neither runs again.
    const pre = this.hook(flows, "PREROUTING", looped ? ["raw", "mangle"] : HOOK_TABLES.PREROUTING, !looped);
    ended.push(...pre.ended);
    for (const flow of pre.flows) {
      if (looped) {
        ended.push(...this.deliver({ ...flow, inInterface: "lo" }));
        continue;
      }
      const device = flow.inInterface ?? "";
      for (const { flow: f, answer } of this.route(flow, `input ${device}`, (p) => routeInput(this.request.host, p, device))) {
        if (answer.kind === "drop") ended.push({ flow: f, outcome: "dropped", reason: answer.detail });
        else if (answer.kind === "local") ended.push(...this.deliver(f));
        else ended.push(...this.forward(f, answer));
      }
    }
    return ended;
  }

  /** What ipv6_rcv drops before PREROUTING (IPv4 drops nothing there by address). */
  private receive(flow: SetFlow, ended: Ended[]): SetFlow[] {
    if (!this.v6) return [flow];
    const device = flow.inInterface ?? "";
    const out: SetFlow[] = [];
    for (const { flow: f, answer } of this.split(
      flow,
      `receive ${device}`,
      { v4: {}, v6: this.v6.receive },
      (p) => receiveCheck(this.request.host, p, device),
      (d) => d?.detail ?? "",
    )) {
      if (answer) ended.push({ flow: f, outcome: "dropped", reason: answer.detail });
      else out.push(f);
    }
    return out;
  }

  private deliver(flow: SetFlow): Ended[] {
    const input = this.hook([flow], "INPUT", HOOK_TABLES.INPUT);
    return [...input.ended, ...input.flows.map((f): Ended => ({ flow: f, outcome: "delivered", reason: "delivered to a local process" }))];
  }

  private forward(flow: SetFlow, decision: Extract<RouteDecision, { kind: "forward" }>): Ended[] {
    const out: SetFlow = {
      ...flow,
      fixed: { ...flow.fixed, ttl: flow.fixed.ttl - 1 },
      outInterface: decision.device,
      ...(decision.gateway !== undefined && { gateway: decision.gateway }),
    };
    const fwd = this.hook([out], "FORWARD", HOOK_TABLES.FORWARD);
    const post = this.hook(fwd.flows, "POSTROUTING", HOOK_TABLES.POSTROUTING);
    return [...fwd.ended, ...post.ended, ...post.flows.map((f): Ended => ({ flow: f, outcome: "forwarded", interface: decision.device, reason: `forwarded out of ${decision.device}` }))];
  }

  private sending(start: SetFlow): Ended[] {
    const ended: Ended[] = [];
    const routed = this.routeSending([start], "route", ended);
    const output = this.hook(routed, "OUTPUT", HOOK_TABLES.OUTPUT);
    const post = this.hook(output.flows, "POSTROUTING", HOOK_TABLES.POSTROUTING);
    ended.push(...output.ended, ...post.ended);
    const looped = post.flows.filter((f) => f.routedLocally).map((f) => ({ ...f, inInterface: "lo", outInterface: undefined }));
    ended.push(...this.arriving(looped, true));
    for (const f of post.flows) if (!f.routedLocally) ended.push({ flow: f, outcome: "sent", interface: f.outInterface ?? "", reason: `sent out of ${f.outInterface ?? ""}` });
    return ended;
  }

  private routeSending(flows: SetFlow[], why: "route" | "reroute", ended: Ended[]): SetFlow[] {
    const out: SetFlow[] = [];
    for (const flow of flows)
      for (const { flow: f, answer } of this.route(flow, why, (p) => (why === "reroute" ? rerouteOutput(this.request.host, p) : routeOutput(this.request.host, p)))) {
        if (answer.kind === "drop") {
          ended.push({ flow: f, outcome: "dropped", reason: answer.detail });
          continue;
        }
        const gateway = answer.kind === "forward" ? answer.gateway : undefined;
        const { gateway: _old, ...rest } = f;
        out.push({ ...rest, outInterface: answer.device, routedLocally: answer.kind === "local", ...(gateway !== undefined && { gateway }) });
      }
    return out;
  }

  /** Splits the flow by routing's answer (by source and destination, and IGMP apart). */
  private route(flow: SetFlow, question: string, decide: (p: Packet) => RouteDecision) {
    const cuts: Cuts = { v4: { src: this.cuts, dst: this.cuts, proto: ROUTING_PROTOCOL_CUTS }, v6: this.v6?.routing ?? {} };
    return this.split(flow, `${question} ${flow.fixed.ttl}`, cuts, decide, routeKey);
  }

  /** The flow split by a host question's answer, the question answered once per host for the whole space. */
  private split<K>(flow: SetFlow, question: string, cuts: Cuts, decide: (p: Packet) => K, keyOf: (answer: K) => string) {
    let cache = REGIONS.get(this.request.host);
    if (!cache) REGIONS.set(this.request.host, (cache = new Map()));
    const key = `${question} ${JSON.stringify(flow.fixed)}`;
    let parts = cache.get(key) as Regions<K> | undefined;
    if (!parts) {
      parts = flow.fixed.family === "ipv4" ? regions(cuts.v4, flow.fixed, decide, keyOf) : regionsV6(cuts.v6, cuts.v6.proto, flow.fixed, decide, keyOf);
      cache.set(key, parts);
    }
    return splitByRegions(flow, parts);
  }

  private hook(flows: readonly SetFlow[], hook: Hook, tables: readonly TableName[], track = true): StepResult {
    let current = [...flows];
    const ended: Ended[] = [];
    for (const table of tables) {
      const next: SetFlow[] = [];
      for (const flow of current) {
        const r = this.tableThenReroute(flow, hook, table);
        next.push(...r.flows);
        ended.push(...r.ended);
      }
      current = table === "raw" && track ? next.flatMap((f) => this.track(f)) : next;
    }
    return { flows: current, ended };
  }

  /** OUTPUT re-routes when mangle changed the mark or TOS, or nat the destination (as the concrete pipeline). */
  private tableThenReroute(flow: SetFlow, hook: Hook, table: TableName): StepResult {
    const r = this.table(flow, hook, table);
    if (hook !== "OUTPUT" || (table !== "mangle" && table !== "nat")) return r;
    const flows: SetFlow[] = [];
    for (const f of r.flows) {
      const moved = movedDestination(flow, f);
      const stayed: SetFlow = { ...f, set: minus(f.set, moved) };
      const changedMeta = table === "mangle" && (f.meta.mark !== flow.meta.mark || f.fixed.tos !== flow.fixed.tos);
      const reroute = isEmpty(moved) ? [] : [{ ...f, set: moved }];
      if (changedMeta) reroute.push(stayed);
      else if (!isEmpty(stayed.set)) flows.push(stayed);
      flows.push(
        ...this.routeSending(
          reroute.filter((x) => !isEmpty(x.set)),
          "reroute",
          r.ended,
        ),
      );
    }
    return { flows, ended: r.ended };
  }

  /** The state conntrack gives a connection's first packet, split by protocol where it differs. */
  private track(flow: SetFlow): SetFlow[] {
    if (!this.tracking) return [flow];
    if (flow.meta.untracked) return [{ ...flow, conntrack: { ...flow.conntrack, state: "UNTRACKED" } }];
    return this.split(
      flow,
      "conntrack",
      { v4: { proto: PROTOCOL_CUTS }, v6: { proto: PROTOCOL_CUTS } },
      (p) => firstPacketState(p).state,
      (state) => state,
    ).map(({ flow: f, answer }) => {
      if (answer !== "NEW") return { ...f, conntrack: { ...f.conntrack, state: answer } };
      const tuple = tupleOf(representative(f));
      return { ...f, conntrack: { ...f.conntrack, state: "NEW" as const, original: tuple, replyTuple: reverseTuple(tuple) } };
    });
  }

  private table(flow: SetFlow, hook: Hook, name: TableName): StepResult {
    const table = this.request.ruleset.tablesByName.get(name);
    if (!table) return { flows: [flow], ended: [] };
    if (name === "nat" && !this.tracking) return { flows: [flow], ended: [] };
    if (name === "nat" && (flow.conntrack.state !== "NEW" || flow.natDone[NAT_SIDE[hook]])) return { flows: [flow], ended: [] };
    const flows: SetFlow[] = [];
    const ended: Ended[] = [];
    for (const { flow: f, end } of walkHookSet(this.ctx, table, hook, flow)) {
      switch (end.kind) {
        case "accept":
          flows.push(name === "nat" ? { ...f, natDone: { ...f.natDone, [NAT_SIDE[hook]]: true } } : f);
          break;
        case "drop":
          ended.push({ flow: f, outcome: "dropped", reason: end.reason });
          break;
        case "reject":
          ended.push({ flow: f, outcome: "rejected", reason: `rejected with ${end.reply}` });
          break;
        case "unknown":
          ended.push({ flow: f, outcome: "undetermined", reason: end.reason });
          break;
        case "nat": {
          const r = this.nat(f, hook, end.request);
          flows.push(...r.flows);
          ended.push(...r.ended);
          break;
        }
      }
    }
    return { flows, ended };
  }

  /**
   * NAT as a transform of the set (applyNat over every packet): the address
   * becomes one value (MASQUERADE's and REDIRECT's split by what the host
   * picks for them), a destination port outside a DNAT range becomes its
   * first port, any other port is kept.
   */
  private nat(flow: SetFlow, hook: Hook, request: NatRequest): StepResult {
    const side = NAT_SIDE[hook];
    if (request.kind === "netmap") return { flows: [], ended: [{ flow, outcome: "undetermined", reason: "NETMAP maps each address apart, which the set walk does not follow" }] };
    const flows: SetFlow[] = [];
    const ended: Ended[] = [];
    for (const { flow: f, answer: address } of this.natAddress(flow, hook, request)) {
      if (address === undefined) {
        ended.push({ flow: f, outcome: "dropped", reason: `${request.kind === "masquerade" ? "MASQUERADE" : "REDIRECT"} needs an address on the interface, and it has none` });
        continue;
      }
      const addressField = side === "source" ? "src" : "dst";
      const portField = side === "source" ? "sport" : "dport";
      const bound: SetFlow = {
        ...f,
        rewrite: withAddress(f.rewrite, addressField, address),
        natDone: { ...f.natDone, [side]: true },
        conntrack: { ...f.conntrack, status: f.conntrack.status | (side === "source" ? IPS_SRC_NAT : IPS_DST_NAT) },
      };
      const ports = request.range.ports;
      const random = request.range.random || request.range.randomFully;
      if (side === "source" || random || !ports) {
        flows.push(bound);
        continue;
      }
      // A destination port outside the range becomes its first port; inside, it is kept.
      const moved = intersect(f.set, pullBack(boxOf({ proto: PORT_PROTOCOLS, [portField]: iv.minus([0, 65535], [ports.min, ports.max]) }), f.rewrite));
      const kept = minus(f.set, moved);
      if (!isEmpty(kept)) flows.push({ ...bound, set: kept });
      if (!isEmpty(moved)) flows.push({ ...bound, set: moved, rewrite: withValue(bound.rewrite, portField, ports.min) });
    }
    return { flows, ended };
  }

  private natAddress(flow: SetFlow, hook: Hook, request: NatRequest): { flow: SetFlow; answer: Address | undefined }[] {
    const { host } = this.request;
    const keyOf = (a: Address | undefined) => (a === undefined ? "" : String(a.value));
    if (request.kind === "masquerade") {
      const device = flow.outInterface ?? "";
      if (flow.gateway !== undefined) return [{ flow, answer: masqueradeAddress(host, device, flow.gateway) }];
      return this.split(flow, `masquerade ${device}`, { v4: { dst: this.cuts }, v6: this.v6?.masquerade ?? {} }, (p) => masqueradeAddress(host, device, p.dst), keyOf);
    }
    if (request.kind === "redirect") {
      const device = hook === "OUTPUT" ? undefined : flow.inInterface;
      return this.split(flow, `redirect ${device ?? ""}`, { v4: { dst: this.cuts }, v6: { dst: this.v6?.routing.dst ?? [] } }, (p) => redirectAddress(host, device, p.dst), keyOf);
    }
    const range = request.range.addresses;
    if (range === undefined) return [{ flow, answer: undefined }];
    // The kernel hashes the connection to pick among several addresses; nfwalk takes the first, as trace does.
    return [{ flow, answer: range.family === "ipv4" ? { family: "ipv4", value: range.min } : { family: "ipv6", value: range.min } }];
  }
}

function withValue(rewrite: Rewrite, field: "sport" | "dport", value: number): Rewrite {
  return rewrite.map((v, i) => (i === FIELD_INDEX[field] ? value : v));
}

/** The rewrite with `field` set to the address (an IPv6 address in its four words). */
function withAddress(rewrite: Rewrite, field: AddressField, address: Address): Rewrite {
  if (address.family === "ipv4") return rewrite.map((v, i) => (i === FIELD_INDEX[field] ? address.value : v));
  const out = [...rewrite];
  wordPositions(field).forEach((position, k) => (out[position] = wordsOf(address.value)[k]));
  return out;
}

/** The packets whose destination an OUTPUT table changed (a DNAT to the address a packet already had changes nothing). */
function movedDestination(before: SetFlow, after: SetFlow): PacketSet {
  const positions = before.fixed.family === "ipv4" ? [FIELD_INDEX.dst] : wordPositions("dst");
  const was = positions.map((i) => before.rewrite[i]);
  const now = positions.map((i) => after.rewrite[i]);
  if (now.every((v, k) => v === was[k])) return [];
  if (now[0] === undefined) return after.set;
  if (was[0] !== undefined) return after.set;
  const address = before.fixed.family === "ipv4" ? now[0] : fromWords(now as number[]);
  return minus(after.set, addressPoint("dst", before.fixed.family, address));
}

/** Outcomes that carry a header: the rewrite matters for them only. */
function throughRewrite(outcome: Outcome, rewrite: Rewrite): Rewrite {
  return outcome === "delivered" || outcome === "forwarded" || outcome === "sent" ? rewrite : NO_REWRITE;
}

function routeKey(d: RouteDecision): string {
  return d.kind === "drop" ? `drop ${d.reason}` : `${d.kind} ${d.device} ${d.kind === "forward" ? (d.gateway?.value ?? "") : d.type}`;
}
