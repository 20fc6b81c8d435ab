/**
 * A set flow: packets the set walk holds together because the host treats
 * them alike so far. Their modelled fields are a packet set as the packets
 * arrived (the origin, which answers are about); NAT has set some fields to
 * one value each (the rewrite), so the header now is the origin with those
 * fields replaced. Everything else (metadata, connection state, interfaces,
 * TTL, TCP flags, …) is one value for the whole flow, as in a concrete flow.
 */
import type { HostView, MatchEnv, Meta, TargetEnv } from "../ext/semantics.js";
import { conntrackView, type Connection } from "../engine/flow.js";
import type { Hook, TableName } from "../model/types.js";
import type { Address, Packet } from "../packet/packet.js";
import * as iv from "./intervals.js";
import type { Intervals } from "./intervals.js";
import { addressRanges, v6Range, wordsOf } from "./address-set.js";
import { v6Pieces, type V6Cuts } from "./host-set.js";
import { boxOf, EVERYTHING, FIELD_INDEX, FIELD_MAX, FIELDS, fullList, intersect, isEmpty, merge, unionAll, type Box, type Field, type PacketSet, type Point } from "./packet-set.js";
import { examplePoint, packetAt, type FixedFields } from "./text.js";

/** Per box position (FIELDS order, then IPv6's lower address words): the one value NAT gave it, or undefined when it is the packet's own. */
export type Rewrite = readonly (number | undefined)[];

export const NO_REWRITE: Rewrite = FIELDS.map(() => undefined);

export interface SetFlow {
  readonly set: PacketSet;
  readonly rewrite: Rewrite;
  readonly fixed: FixedFields;
  readonly meta: Meta;
  readonly conntrack: Connection;
  readonly inInterface: string | undefined;
  readonly outInterface: string | undefined;
  readonly physIn: string | undefined;
  readonly natDone: { readonly source: boolean; readonly destination: boolean };
  /** The gateway of the chosen route; undefined: the packet's destination is its own next hop. */
  readonly gateway?: Address;
  /** Routing sent a locally generated packet to this host (through lo). */
  readonly routedLocally?: boolean;
}

export function rewritten(rewrite: Rewrite, field: Field): number | undefined {
  return rewrite[FIELD_INDEX[field]];
}

/** A point of the origin as the header is now. */
export function applyRewrite(point: Point, rewrite: Rewrite): Point {
  return point.map((v, i) => rewrite[i] ?? v);
}

/**
 * The origin packets whose header now lies in `current` (a set over the
 * header as it is now): a field NAT fixed to one value either passes for all
 * of them or for none.
 */
export function pullBack(current: PacketSet, rewrite: Rewrite): PacketSet {
  if (rewrite.every((v) => v === undefined)) return current;
  const boxes: Box[] = [];
  for (const box of current) {
    // A position past the box's end is unrestricted there: any fixed value passes.
    if (rewrite.some((v, i) => v !== undefined && i < box.length && !iv.hasValue(box[i]!, v))) continue;
    boxes.push(box.map((list, i) => (rewrite[i] === undefined ? list : fullList(i))));
  }
  // Boxes that differed only in fixed fields now overlap.
  return boxes.length < 2 ? boxes : unionAll(boxes.map((b) => [b]));
}

/** The flow's packets whose header now lies in `current`. */
export function restrict(flow: SetFlow, current: PacketSet): PacketSet {
  return intersect(flow.set, pullBack(current, flow.rewrite));
}

/** One packet of the flow as the header is now. */
export function representative(flow: SetFlow): Packet {
  return packetAt(applyRewrite(examplePoint(flow.set, flow.fixed.family), flow.rewrite), flow.fixed);
}

export function matchEnv(flow: SetFlow, packet: Packet, hook: Hook, table: TableName, host: HostView, socket: MatchEnv["socket"]): TargetEnv {
  const { conntrack, meta } = flow;
  return {
    packet,
    hook,
    table,
    inInterface: flow.inInterface,
    outInterface: flow.outInterface,
    physIn: flow.physIn,
    physOut: undefined,
    mark: meta.mark,
    conntrack: conntrackView(conntrack, meta),
    host,
    socket,
    // How the frame was addressed depends on the destination; -m pkttype has no set interpretation.
    linkType: undefined,
    sourceMac: undefined,
    meta,
  };
}

/** What makes two flows alike: everything but their packets. */
function stateKey(flow: SetFlow): string {
  const { meta, conntrack } = flow;
  return JSON.stringify([
    flow.rewrite,
    flow.fixed,
    meta.mark,
    meta.connmark,
    meta.untracked,
    meta.zone,
    meta.helper ?? null,
    conntrack.state,
    conntrack.status,
    flow.inInterface ?? null,
    flow.outInterface ?? null,
    flow.physIn ?? null,
    flow.natDone,
    flow.gateway === undefined ? null : String(flow.gateway.value),
    flow.routedLocally ?? false,
  ]);
}

/** Joins flows that differ only in their packets. */
export function joinFlows(flows: readonly SetFlow[]): SetFlow[] {
  if (flows.length < 2) return [...flows];
  const groups = new Map<string, SetFlow>();
  for (const flow of flows) {
    const key = stateKey(flow);
    const found = groups.get(key);
    // Flows at one step of the walk hold disjoint packets: their boxes only need merging.
    groups.set(key, found ? { ...found, set: merge([...found.set, ...flow.set]) } : flow);
  }
  return [...groups.values()];
}

/** A question about packets answered for the whole space at once: the regions with one answer each. */
export type Regions<K> = readonly { readonly set: PacketSet; readonly answer: K }[];

/**
 * Answers `decide` for every packet: the space is cut at `cuts` in each
 * field, `decide` is asked once per piece (for one of its packets, with the
 * `fixed` fields), and the pieces with one answer are joined. Exact when the
 * answer cannot change between consecutive cuts.
 */
export function regions<K>(cuts: Partial<Record<Field, readonly number[]>>, fixed: FixedFields, decide: (packet: Packet) => K, keyOf: (answer: K) => string): Regions<K> {
  const fields = FIELDS.filter((f) => cuts[f] !== undefined).map((f) => FIELD_INDEX[f]);
  if (fields.length === 0) {
    const answer = decide(packetAt(examplePoint(EVERYTHING, fixed.family), fixed));
    return [{ set: EVERYTHING, answer }];
  }
  const pieces = fields.map((i) => iv.cutAt([0, FIELD_MAX[FIELDS[i]!]], cuts[FIELDS[i]!]!));
  const last = fields.length - 1;
  // Pieces of the last field are joined as they come (in order): few boxes are left to merge.
  const groups = new Map<string, { answer: K; rows: Map<string, { at: number[]; values: number[] }> }>();
  const at = fields.map(() => 0);
  for (;;) {
    const box: Intervals[] = [...EVERYTHING[0]!];
    fields.forEach((i, k) => (box[i] = pieces[k]![at[k]!]!));
    const answer = decide(packetAt(examplePoint([box], fixed.family), fixed));
    const key = keyOf(answer);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { answer, rows: new Map() }));
    const rowKey = at.slice(0, last).join(",");
    let row = group.rows.get(rowKey);
    if (!row) group.rows.set(rowKey, (row = { at: at.slice(0, last), values: [] }));
    const piece = pieces[last]![at[last]!]!;
    for (let j = 0; j < piece.length; j += 2) {
      const n = row.values.length;
      if (n > 0 && row.values[n - 1]! + 1 === piece[j]) row.values[n - 1] = piece[j + 1]!;
      else row.values.push(piece[j]!, piece[j + 1]!);
    }
    // The next cell, last field fastest.
    let k = last;
    while (k >= 0 && ++at[k]! === pieces[k]!.length) at[k--] = 0;
    if (k < 0) break;
  }
  return [...groups.values()].map(({ answer, rows }) => {
    const boxes = [...rows.values()].map(({ at: prefix, values }) => {
      const box: Intervals[] = [...EVERYTHING[0]!];
      prefix.forEach((index, k) => (box[fields[k]!] = pieces[k]![index]!));
      box[fields[last]!] = values;
      return box;
    });
    return { set: merge(boxes), answer };
  });
}

/**
 * `regions` for IPv6: the address space cut at 128-bit cuts (`v6Pieces`),
 * by protocol pieces and source pieces, then destination pieces, whose
 * ranges with one answer are joined before they become boxes.
 */
export function regionsV6<K>(cuts: V6Cuts, protocols: readonly number[] | undefined, fixed: FixedFields, decide: (packet: Packet) => K, keyOf: (answer: K) => string): Regions<K> {
  const groups = new Map<string, { answer: K; sets: PacketSet[] }>();
  for (const proto of iv.cutAt([0, 255], protocols ?? []))
    for (const [srcLo, srcHi] of v6Pieces(cuts.src)) {
      const row = new Map<string, { answer: K; ranges: [bigint, bigint][] }>();
      const src = wordsOf(srcLo);
      for (const [lo, hi] of v6Pieces(cuts.dst)) {
        const dst = wordsOf(lo);
        const answer = decide(packetAt([proto[0]!, src[0], dst[0], 0, 0, src[1], src[2], src[3], dst[1], dst[2], dst[3]], fixed));
        const key = keyOf(answer);
        let entry = row.get(key);
        if (!entry) row.set(key, (entry = { answer, ranges: [] }));
        const last = entry.ranges[entry.ranges.length - 1];
        if (last && last[1] + 1n === lo) last[1] = hi;
        else entry.ranges.push([lo, hi]);
      }
      const sources = intersect(boxOf({ proto }), v6Range("src", srcLo, srcHi));
      for (const [key, { answer, ranges }] of row) {
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { answer, sets: [] }));
        group.sets.push(intersect(sources, addressRanges("dst", "ipv6", ranges)));
      }
    }
  return [...groups.values()].map(({ answer, sets }) => ({ set: merge(sets.flat()), answer }));
}

/** The flow split by the regions its packets (with their header as it is now) fall in. */
export function splitByRegions<K>(flow: SetFlow, parts: Regions<K>): { flow: SetFlow; answer: K }[] {
  const out: { flow: SetFlow; answer: K }[] = [];
  for (const { set, answer } of parts) {
    const mine = restrict(flow, set);
    if (!isEmpty(mine)) out.push({ flow: { ...flow, set: mine }, answer });
  }
  return out;
}
