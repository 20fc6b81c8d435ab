/**
 * The first `n` items of `list` in an array of their own, for arrays the model keeps (a rule's
 * matches, a chain's rules). Up to three are put in array literals: V8 learns that the arrays
 * made at a literal live on and then makes them in the old generation at once, where the
 * young array slice() or map() makes is copied twice by the garbage collector. A large dump
 * keeps hundreds of thousands of these small arrays.
 */
export function lasting<T>(list: readonly T[], n: number): T[] {
  switch (n) {
    case 1:
      return [list[0]!];
    case 2:
      return [list[0]!, list[1]!];
    case 3:
      return [list[0]!, list[1]!, list[2]!];
    default:
      return list.slice(0, n);
  }
}
