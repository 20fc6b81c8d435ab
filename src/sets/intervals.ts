/**
 * Sets of whole numbers in [0, max] as sorted lists of disjoint, non-touching
 * inclusive ranges, flat: [lo0, hi0, lo1, hi1, …]. Every header field of a
 * packet set is one of these (a 32-bit address fits a double exactly).
 * Lists are values: operations return new lists and never change their inputs.
 */
export type Intervals = readonly number[];

export const NO_VALUES: Intervals = [];

export function range(lo: number, hi: number): Intervals {
  return lo <= hi ? [lo, hi] : NO_VALUES;
}

export function point(value: number): Intervals {
  return [value, value];
}

export function isNone(a: Intervals): boolean {
  return a.length === 0;
}

export function hasValue(a: Intervals, value: number): boolean {
  // Lists are short in practice; a binary search over the pairs keeps long ones (ipsets) fast too.
  let lo = 0;
  let hi = a.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (value < a[2 * mid]!) hi = mid - 1;
    else if (value > a[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

export function sameIntervals(a: Intervals, b: Intervals): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The list whose ranges are `a`'s, cut down to those of `b`. */
export function intersect(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

export function overlaps(a: Intervals, b: Intervals): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (Math.max(a[i]!, b[j]!) <= Math.min(a[i + 1]!, b[j + 1]!)) return true;
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return false;
}

/** Every value of `a` is in `b`. */
export function within(a: Intervals, b: Intervals): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    while (j < b.length && b[j + 1]! < a[i]!) j += 2;
    if (j >= b.length || b[j]! > a[i]! || b[j + 1]! < a[i + 1]!) return false;
  }
  return true;
}

export function union(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  const push = (lo: number, hi: number) => {
    const n = out.length;
    // Touching ranges (hi + 1 === lo) become one, so every set has one spelling.
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  };
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      push(a[i]!, a[i + 1]!);
      i += 2;
    } else {
      push(b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  return out;
}

/** The values of `a` not in `b`. */
export function minus(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i]!;
    const hi = a[i + 1]!;
    while (j < b.length && b[j + 1]! < lo) j += 2;
    let k = j;
    while (k < b.length && b[k]! <= hi && lo <= hi) {
      if (b[k]! > lo) out.push(lo, b[k]! - 1);
      lo = b[k + 1]! + 1;
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

/** The values of [0, max] not in `a`. */
export function complement(a: Intervals, max: number): Intervals {
  return minus([0, max], a);
}

/** How many values the list holds. */
export function size(a: Intervals): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 2) n += a[i + 1]! - a[i]! + 1;
  return n;
}

/** A list from ranges in any order, overlapping or touching. */
export function fromRanges(ranges: readonly (readonly [number, number])[]): Intervals {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** The union of many lists at once (one sort, one pass; joining them pairwise would be quadratic). */
export function unionMany(lists: readonly Intervals[]): Intervals {
  if (lists.length === 1) return lists[0]!;
  const pairs: [number, number][] = [];
  for (const list of lists) for (let i = 0; i < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
  return fromRanges(pairs);
}

/** The values of the list in the pieces between consecutive `cuts` (each cut starts a piece), each piece a list. */
export function cutAt(a: Intervals, cuts: readonly number[]): Intervals[] {
  const pieces: Intervals[] = [];
  let start = 0;
  for (let c = 0; c <= cuts.length; c++) {
    const end = c < cuts.length ? cuts[c]! - 1 : Infinity;
    if (end < start) continue;
    const piece = intersect(a, [start, end === Infinity ? Number.MAX_SAFE_INTEGER : end]);
    if (piece.length > 0) pieces.push(piece);
    start = end + 1;
  }
  return pieces;
}
