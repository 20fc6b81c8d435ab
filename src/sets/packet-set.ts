/**
 * Sets of packets as unions of disjoint boxes. A box is a product of
 * interval lists, one per modelled header field (protocol, source and
 * destination address, source and destination port); every other field of a
 * set's packets has one value, shared by the whole set (PACKETSET's `[...]`
 * options, or what `trace` would give it), and the walk keeps it beside the set.
 *
 * IPv4 addresses are one field each. An IPv6 address is four 32-bit words
 * (a double holds each exactly): `src` and `dst` are the high words, and an
 * IPv6 box has six more lists after the ports, the lower three words of each
 * address (`SRC_WORDS`, `DST_WORDS`). A box shorter than that is unrestricted
 * in the fields it leaves out, so sets over protocol and ports serve both
 * families. A prefix is one box (its network words as points, one word a
 * range, the rest unrestricted); a range A-B is at most seven
 * (src/sets/address-set.ts). A set holds packets of one family.
 *
 * Why boxes and not a BDD: every match nfwalk models and every routing or NAT
 * decision is a union of ranges in these fields (CIDRs, port ranges, protocol
 * lists, address ranges), so a box states it exactly and cheaply, and an
 * answer printed as PACKETSET is the boxes themselves. Intersection and
 * difference of boxes are field-wise interval operations; boxes that differ in
 * one field only are merged, which keeps a walk's sets small (a chain's
 * "everything not matched so far" stays a few boxes for typical firewalls).
 * A BDD over 104 header bits would need a cube-to-range translation for every
 * printed answer and a variable order that suits both prefixes and port ranges.
 *
 * Ports: a packet without ports (ICMP, GRE, …) is in a box whatever the
 * box's port lists say, as long as they are not empty; matches that read
 * ports also restrict the protocol (the kernel's -p requirement), so this
 * never makes a portless packet match a port condition.
 */
import * as iv from "./intervals.js";
import type { Intervals } from "./intervals.js";

/** The modelled header fields, in the order a box lists them: protocol, source and destination address, source and destination port. */
export const FIELDS = ["proto", "src", "dst", "sport", "dport"] as const;
/** One modelled header field: `proto`, `src`, `dst`, `sport` or `dport`. */
export type Field = (typeof FIELDS)[number];
/** How many fields a box has. */
export const FIELD_COUNT = FIELDS.length;

/** Largest value of each field. */
export const FIELD_MAX: Readonly<Record<Field, number>> = { proto: 255, src: 0xffffffff, dst: 0xffffffff, sport: 65535, dport: 65535 };

/** The box positions of an IPv6 address's four words, high word first. */
export const SRC_WORDS: readonly number[] = [1, 5, 6, 7];
/** The box positions of an IPv6 destination address's four words, high word first. */
export const DST_WORDS: readonly number[] = [2, 8, 9, 10];
/** How many lists an IPv6 box has. */
export const V6_BOX_LENGTH = 11;

/** Largest value at each box position (IPv6's lower address words after the ports). */
const MAX_BY_INDEX: readonly number[] = [...FIELDS.map((f) => FIELD_MAX[f]), 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff];

/** The unrestricted list at a box position. */
export function fullList(index: number): Intervals {
  return FULL_LISTS[index]!;
}

/** Where each field sits in a box (FIELDS order). */
export const FIELD_INDEX: Readonly<Record<Field, number>> = { proto: 0, src: 1, dst: 2, sport: 3, dport: 4 };

/** One interval list per box position (FIELDS order, then IPv6's lower words); none is empty; positions past its end are unrestricted. */
export type Box = readonly Intervals[];

/** A union of pairwise disjoint boxes. */
export type PacketSet = readonly Box[];

/** A single packet's modelled fields by box position (ports 0 for a packet without ports; 11 positions for IPv6). */
export type Point = readonly number[];

/** The set of no packets. */
export const EMPTY: PacketSet = [];

const FULL_LISTS: Box = MAX_BY_INDEX.map((max) => [0, max]);
const FULL_BOX: Box = FULL_LISTS.slice(0, FIELD_COUNT);
/** The set of every packet (a box leaves the IPv6 words it does not list unrestricted). */
export const EVERYTHING: PacketSet = [FULL_BOX];

/** The box restricted in the given fields, unrestricted in the others; empty when a restriction is. */
export function boxOf(fields: Partial<Record<Field, Intervals>>): PacketSet {
  const box = FIELDS.map((f, i) => (fields[f] === undefined ? FULL_BOX[i]! : iv.intersect(fields[f]!, FULL_BOX[i]!)));
  return box.some(iv.isNone) ? EMPTY : [box];
}

/** Whether the set holds no packet. */
export function isEmpty(s: PacketSet): boolean {
  return s.length === 0;
}

/** How many packets the set holds (as a double: an order of magnitude is all sorting needs). */
export function setSize(set: PacketSet): number {
  return set.reduce((sum, box) => sum + box.reduce((product, list) => product * iv.size(list), 1), 0);
}

/** Whether the set holds every packet. */
export function isEverything(s: PacketSet): boolean {
  return s.length === 1 && s[0]!.every((list, i) => list.length === 2 && list[0] === 0 && list[1] === MAX_BY_INDEX[i]);
}

/** The box with `length` positions, unrestricted in those it lacked. */
export function padBox(box: Box, length: number): Box {
  return box.length >= length ? box : [...box, ...FULL_LISTS.slice(box.length, length)];
}

function isFullList(list: Intervals, i: number): boolean {
  return list.length === 2 && list[0] === 0 && list[1] === MAX_BY_INDEX[i];
}

function boxIntersect(a: Box, b: Box): Box | undefined {
  if (a.length !== b.length) return boxIntersect(padBox(a, b.length), padBox(b, a.length));
  // Overlap first, without allocating: most pairs a walk tries do not meet.
  const n = a.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i] && !iv.overlaps(a[i]!, b[i]!)) return undefined;
  const out: Intervals[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    // Shared and unrestricted lists (most fields of most boxes) need no work.
    out.push(x === y || isFullList(y, i) ? x : isFullList(x, i) ? y : iv.intersect(x, y));
  }
  return out;
}

function boxesOverlap(a: Box, b: Box): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i] && !iv.overlaps(a[i]!, b[i]!)) return false;
  return true;
}

/** a \ b as disjoint boxes: field by field, the part of `a` outside `b` in that field and inside it in the earlier ones. */
function boxMinus(whole: Box, b: Box, out: Box[]): void {
  if (!boxesOverlap(whole, b)) {
    out.push(whole);
    return;
  }
  // Positions past b's end are unrestricted in b: nothing of `a` is outside it there.
  const a = padBox(whole, b.length);
  let inside: Intervals[] = [...a];
  for (let i = 0; i < b.length; i++) {
    const outside = iv.minus(a[i]!, b[i]!);
    if (outside.length > 0) {
      const piece = [...inside];
      piece[i] = outside;
      out.push(piece);
    }
    inside = [...inside];
    inside[i] = a[i] === b[i] ? a[i]! : iv.intersect(a[i]!, b[i]!);
  }
}

/** The packets in both sets. */
export function intersect(a: PacketSet, b: PacketSet): PacketSet {
  if (a.length === 0 || b.length === 0) return EMPTY;
  if (isEverything(a)) return b;
  if (isEverything(b)) return a;
  const out: Box[] = [];
  for (const x of a)
    for (const y of b) {
      const both = boxIntersect(x, y);
      if (both) out.push(both);
    }
  // Cut by one box, merged boxes stay merged enough: merging is for compactness only.
  return a.length === 1 || b.length === 1 ? out : merge(out);
}

/** Whether the sets share a packet (cheaper than intersecting them). */
export function overlaps(a: PacketSet, b: PacketSet): boolean {
  for (const x of a) for (const y of b) if (boxesOverlap(x, y)) return true;
  return false;
}

/** The packets of `a` that are not in `b`. */
export function minus(a: PacketSet, b: PacketSet): PacketSet {
  if (a.length === 0 || b.length === 0) return a;
  // Boxes `b` does not touch stay as they are; only the pieces of cut boxes are merged.
  const untouched: Box[] = [];
  let cut: Box[] = [];
  for (const x of a) (b.some((y) => boxesOverlap(x, y)) ? cut : untouched).push(x);
  if (cut.length === 0) return a;
  for (const y of b) {
    const next: Box[] = [];
    for (const x of cut) boxMinus(x, y, next);
    cut = next;
    if (cut.length === 0) break;
  }
  return untouched.length === 0 ? merge(cut) : [...untouched, ...merge(cut)];
}

/** The packets in either set. */
export function union(a: PacketSet, b: PacketSet): PacketSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return merge([...a, ...minus(b, a)]);
}

/** The packets in any of the sets. */
export function unionAll(sets: readonly PacketSet[]): PacketSet {
  return sets.reduce(union, EMPTY);
}

/** Every packet of `a` is in `b`. */
export function isSubset(a: PacketSet, b: PacketSet): boolean {
  return isEmpty(minus(a, b));
}

/** Whether the two sets hold the same packets, however their boxes are cut. */
export function sameSet(a: PacketSet, b: PacketSet): boolean {
  return isSubset(a, b) && isSubset(b, a);
}

/** Whether the set holds the packet with these field values. */
export function containsPoint(s: PacketSet, p: Point): boolean {
  return s.some((box) => box.every((list, i) => iv.hasValue(list, p[i] ?? 0)));
}

/**
 * Joins boxes that differ in one field only, until none do. The boxes stay
 * disjoint (the joined ones were), and the union they make is unchanged.
 */
export function merge(given: readonly Box[]): PacketSet {
  if (given.length < 2) return given;
  // Boxes of one length, so that alike boxes have alike keys.
  const longest = given.reduce((n, box) => Math.max(n, box.length), 0);
  const boxes = given.some((box) => box.length !== longest) ? given.map((box) => padBox(box, longest)) : given;
  // Each box's fields as text, made once: the grouping keys are built from them.
  let current = boxes.map((box) => ({ box, texts: box.map((list) => list.join(",")) }));
  for (let changed = true; changed; ) {
    changed = false;
    for (let field = 0; field < longest && current.length > 1; field++) {
      // Boxes alike but in `field` become one: their lists of that field are joined in one go.
      const groups = new Map<string, { box: Box; texts: string[]; lists: Intervals[] }>();
      for (const entry of current) {
        const key = keyWithout(entry.texts, field);
        const found = groups.get(key);
        if (found) found.lists.push(entry.box[field]!);
        else groups.set(key, { box: entry.box, texts: entry.texts, lists: [entry.box[field]!] });
      }
      if (groups.size === current.length) continue;
      changed = true;
      current = [...groups.values()].map(({ box, texts, lists }) => {
        if (lists.length === 1) return { box, texts };
        const joined = [...box];
        joined[field] = iv.unionMany(lists);
        const joinedTexts = [...texts];
        joinedTexts[field] = joined[field]!.join(",");
        return { box: joined, texts: joinedTexts };
      });
    }
  }
  return current.map((e) => e.box);
}

function keyWithout(texts: readonly string[], field: number): string {
  let key = "";
  for (let i = 0; i < texts.length; i++) if (i !== field) key += texts[i]! + "|";
  return key;
}

/** The packets of `s` with `field` set to any of `values` (the field read as unrestricted, then restricted). */
export function withField(s: PacketSet, field: Field, values: Intervals): PacketSet {
  const i = FIELD_INDEX[field];
  if (values.length === 0) return EMPTY;
  return unionAll(s.map((box) => [box.map((list, j) => (j === i ? values : list))]));
}

/** The field's values over the whole set. */
export function fieldValues(s: PacketSet, field: Field): Intervals {
  const i = FIELD_INDEX[field];
  return s.reduce<Intervals>((acc, box) => iv.union(acc, box[i]!), iv.NO_VALUES);
}

/** Splits each box at the cut points of one field (each cut starts a piece); pieces in box order. */
export function cutField(s: PacketSet, field: Field, cuts: readonly number[]): Box[] {
  const i = FIELD_INDEX[field];
  const out: Box[] = [];
  for (const box of s) for (const piece of iv.cutAt(box[i]!, cuts)) out.push(box.map((list, j) => (j === i ? piece : list)));
  return out;
}
