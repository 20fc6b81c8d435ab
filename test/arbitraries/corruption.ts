/**
 * fast-check arbitraries for damaged input: the edits a copy-paste, a broken editor or a
 * hostile file make to a text (deleted and inserted pieces, truncation, swapped lines),
 * with pieces that are hard for a reader (quotes, control characters, a NUL byte, deep
 * JSON nesting, names that are JavaScript object keys, huge numbers, a long run).
 */
import fc from "fast-check";

export type Edit =
  | { readonly kind: "delete"; readonly at: number; readonly length: number }
  | { readonly kind: "insert"; readonly at: number; readonly text: string }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "swap-lines"; readonly at: number; readonly other: number };

/** Pieces damaged iptables-save dumps hold. */
export const RULE_PIECES = ['"', "\\", "!", " ! ", "-", "--", "\n", "\r\n", ":", "*", "[", "]", "COMMIT\n", "-A ", "\t", "\0", "é", "0x", "/"] as const;

/** Pieces that try a reader harder: for any input kind, JSON included. */
export const HOSTILE_PIECES = [
  ...RULE_PIECES,
  "{",
  "}",
  ",",
  "null",
  '"__proto__"',
  '"constructor": 1,',
  " constructor ",
  " __proto__ ",
  " toString ",
  "\x1b[2J",
  "\x1b]0;title\x07",
  "\x7f",
  "\u202e",
  "\ufeff",
  "\ud800",
  "4294967296",
  "-1",
  "1e999",
  "99999999999999999999",
  "0x100000000",
  "[".repeat(600),
  '{"a":'.repeat(600),
  "x".repeat(5000),
] as const;

const editOf = (pieces: readonly string[]): fc.Arbitrary<Edit> =>
  fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...pieces) }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("swap-lines" as const), at: fc.nat(), other: fc.nat() }),
  );

/** One edit of the kind a copy-paste or a broken editor makes to a dump. */
export const corruption = editOf(RULE_PIECES);
/** One edit that may also insert hostile pieces. */
export const hostileCorruption = editOf(HOSTILE_PIECES);

export function corrupt(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    if (e.kind === "delete") out = out.slice(0, at) + out.slice(at + e.length);
    else if (e.kind === "insert") out = out.slice(0, at) + e.text + out.slice(at);
    else if (e.kind === "truncate") out = out.slice(0, at);
    else {
      const lines = out.split("\n");
      const a = e.at % lines.length;
      const b = e.other % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      out = lines.join("\n");
    }
  }
  return out;
}
