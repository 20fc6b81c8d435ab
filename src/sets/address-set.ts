/**
 * Address sets of either family as packet sets restricted in one address
 * field: IPv4 as one interval list; IPv6 as boxes over the address's four
 * 32-bit words (src/sets/packet-set.ts). A 128-bit range [A, B] in the
 * words' lexicographic order is at most seven boxes: the words A and B share
 * as points, then the part above A in its next word, the whole words between,
 * and the part below B.
 */
import type { Family } from "../model/types.js";
import * as iv from "./intervals.js";
import type { Intervals } from "./intervals.js";
import { boxOf, DST_WORDS, EMPTY, EVERYTHING, fullList, merge, minus, SRC_WORDS, V6_BOX_LENGTH, type Box, type PacketSet, type Point } from "./packet-set.js";

export type AddressField = "src" | "dst";

/** An address of either family as a number (IPv4) or a bigint (IPv6). */
export type AddressValue = number | bigint;

const WORD = 0xffffffffn;
export const ALL_V6 = (1n << 128n) - 1n;

export function wordsOf(value: bigint): [number, number, number, number] {
  return [Number((value >> 96n) & WORD), Number((value >> 64n) & WORD), Number((value >> 32n) & WORD), Number(value & WORD)];
}

export function fromWords(words: readonly number[]): bigint {
  return (BigInt(words[0]!) << 96n) | (BigInt(words[1]!) << 64n) | (BigInt(words[2]!) << 32n) | BigInt(words[3]!);
}

export function wordPositions(field: AddressField): readonly number[] {
  return field === "src" ? SRC_WORDS : DST_WORDS;
}

/** An IPv6 box restricted in the address's words to `lists` (high word first); undefined lists are unrestricted. */
function v6Box(field: AddressField, lists: readonly (Intervals | undefined)[]): Box {
  const positions = wordPositions(field);
  const box: Intervals[] = [];
  for (let i = 0; i < V6_BOX_LENGTH; i++) box.push(fullList(i));
  lists.forEach((list, k) => {
    if (list !== undefined) box[positions[k]!] = list;
  });
  return box;
}

/** The word lists of [lo, hi] (four words each, from `depth` on), as boxes of word lists. */
function wordRanges(lo: readonly number[], hi: readonly number[], depth: number): (Intervals | undefined)[][] {
  if (depth === 3) return [[[lo[3]!, hi[3]!]]];
  const here = (list: Intervals, rest: (Intervals | undefined)[][]) => rest.map((r) => [list, ...r]);
  if (lo[depth] === hi[depth]) return here([lo[depth]!, lo[depth]!], wordRanges(lo, hi, depth + 1));
  const MAX = 0xffffffff;
  const restLowIsZero = lo.slice(depth + 1).every((w) => w === 0);
  const restHighIsMax = hi.slice(depth + 1).every((w) => w === MAX);
  const out: (Intervals | undefined)[][] = [];
  const from = restLowIsZero ? lo[depth]! : lo[depth]! + 1;
  const to = restHighIsMax ? hi[depth]! : hi[depth]! - 1;
  const full = (): (Intervals | undefined)[] => [undefined, undefined, undefined].slice(0, 3 - depth);
  if (!restLowIsZero) out.push(...here([lo[depth]!, lo[depth]!], wordRanges(lo, [...lo.slice(0, depth + 1), MAX, MAX, MAX].slice(0, 4), depth + 1)));
  if (from <= to) out.push([[from, to], ...full()]);
  if (!restHighIsMax) out.push(...here([hi[depth]!, hi[depth]!], wordRanges([...hi.slice(0, depth + 1), 0, 0, 0].slice(0, 4), hi, depth + 1)));
  return out;
}

/** The packets whose `field` is in [lo, hi] (IPv6, as bigints). */
export function v6Range(field: AddressField, lo: bigint, hi: bigint): PacketSet {
  if (lo > hi) return EMPTY;
  return wordRanges(wordsOf(lo), wordsOf(hi), 0).map((lists) => v6Box(field, lists));
}

/** The packets whose `field` lies in the prefix (IPv6). */
export function v6Prefix(field: AddressField, address: bigint, length: number): PacketSet {
  const mask = length === 0 ? 0n : (ALL_V6 << BigInt(128 - length)) & ALL_V6;
  const lo = address & mask;
  return v6Range(field, lo, lo | (~mask & ALL_V6));
}

/** The packets whose `field` is any of the ranges, of either family. */
export function addressRanges(field: AddressField, family: Family, ranges: readonly (readonly [AddressValue, AddressValue])[]): PacketSet {
  if (family === "ipv4") return boxOf({ [field]: iv.fromRanges(ranges.map(([lo, hi]): [number, number] => [Number(lo), Number(hi)])) });
  return merge(ranges.flatMap(([lo, hi]) => v6Range(field, BigInt(lo), BigInt(hi))));
}

/** The packets whose `field` is the one address. */
export function addressPoint(field: AddressField, family: Family, value: AddressValue): PacketSet {
  return addressRanges(field, family, [[value, value]]);
}

/** The set, or (negated) the rest of the family's packets. */
export function negatedIf(negated: boolean, set: PacketSet): PacketSet {
  return negated ? minus(EVERYTHING, set) : set;
}

/** The address a point holds in `field`. */
export function pointAddress(point: Point, field: AddressField, family: Family): AddressValue {
  return family === "ipv4" ? point[field === "src" ? 1 : 2]! : fromWords(wordPositions(field).map((i) => point[i] ?? 0));
}

/**
 * A box's addresses in `field` as inclusive ranges, ascending. For IPv6 the
 * words above the lowest restricted one are enumerated value by value: the
 * boxes the walk makes restrict a lower word only under single values above it.
 */
export function boxAddressRanges(box: Box, field: AddressField, family: Family): [AddressValue, AddressValue][] {
  if (family === "ipv4") {
    const list = box[field === "src" ? 1 : 2] ?? fullList(1);
    const out: [AddressValue, AddressValue][] = [];
    for (let k = 0; k < list.length; k += 2) out.push([list[k]!, list[k + 1]!]);
    return out;
  }
  const lists = wordPositions(field).map((i) => box[i] ?? fullList(i));
  let last = 3;
  while (last > 0 && isFull(lists[last]!)) last--;
  let prefixes: bigint[] = [0n];
  for (let k = 0; k < last; k++) {
    const next: bigint[] = [];
    for (const p of prefixes) for (const v of values(lists[k]!)) next.push((p << 32n) | BigInt(v));
    prefixes = next;
  }
  const shift = BigInt(32 * (3 - last));
  const low = (1n << shift) - 1n;
  const out: [AddressValue, AddressValue][] = [];
  for (const p of prefixes) {
    const list = lists[last]!;
    for (let k = 0; k < list.length; k += 2) out.push([((p << 32n) | BigInt(list[k]!)) << shift, (((p << 32n) | BigInt(list[k + 1]!)) << shift) | low]);
  }
  return out;
}

function isFull(list: Intervals): boolean {
  return list.length === 2 && list[0] === 0 && list[1] === 0xffffffff;
}

function* values(list: Intervals): Generator<number> {
  for (let k = 0; k < list.length; k += 2) for (let v = list[k]!; v <= list[k + 1]!; v++) yield v;
}
