/**
 * The mark operations MARK and CONNMARK share (libxt_MARK / libxt_CONNMARK
 * revision 1+): every spelling becomes the kernel's one operation,
 * `mark = (mark & ~mask) ^ value`, which iptables-save prints as
 * `--set-xmark value/mask`.
 */
import type { OptionSpec, OptionUse, ParseContext } from "../types.js";
import { hex, parseUIntText, parseValueMask, type ValueMask } from "../values.js";

export const MARK_OPERATIONS: readonly OptionSpec[] = [
  { name: "set-xmark", args: 1 },
  { name: "set-mark", args: 1 },
  { name: "and-mark", args: 1 },
  { name: "or-mark", args: 1 },
  { name: "xor-mark", args: 1 },
];

const OPERATION_NAMES: ReadonlySet<string> = new Set(MARK_OPERATIONS.map((o) => o.name));

export function isMarkOperation(use: OptionUse): boolean {
  return OPERATION_NAMES.has(use.spec.name);
}

/** One mark operation as the (value, mask) pair the kernel applies. */
export function parseMarkOperation(ctx: ParseContext, use: OptionUse): ValueMask {
  const arg = use.args[0]!;
  const what = `--${use.spec.name}`;
  const bits = () => parseUIntText(ctx, arg, arg.text, what, 0, 0xffffffff);
  switch (use.spec.name) {
    case "set-xmark":
      return parseValueMask(ctx, arg, what);
    case "set-mark": {
      // Clears the bits of the mask and sets those of the value.
      const { value, mask } = parseValueMask(ctx, arg, what);
      return { value, mask: (value | mask) >>> 0 };
    }
    case "and-mark":
      return { value: 0, mask: ~bits() >>> 0 };
    case "or-mark": {
      const value = bits();
      return { value, mask: value };
    }
    default:
      return { value: bits(), mask: 0 };
  }
}

/** The kernel's one mark operation (xt_mark's mark_tg, xt_connmark's set): `(mark & ~mask) ^ value`, in 32 bits. */
export function applyMark(mark: number, m: ValueMask): number {
  return ((mark & ~m.mask) ^ m.value) >>> 0;
}

export const formatMark = (m: ValueMask): string => `${hex(m.value)}/${hex(m.mask)}`;
