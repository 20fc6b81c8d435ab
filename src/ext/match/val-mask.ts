/**
 * libxtables' xtables_parse_val_mask / xtables_print_val_mask with an iproute2
 * name map (`-m devgroup`, `-m realm`): `VALUE[/MASK]` or a name from the map.
 * nfwalk knows the maps iproute2 installs: /etc/iproute2/group and rt_realms.
 */
import type { Token } from "../../parse/syntax.js";
import type { ParseContext } from "../types.js";
import { parseCNumber, parseValueMask, type ValueMask } from "../values.js";

export type NameMap = ReadonlyMap<number, string>;

export const DEVICE_GROUPS: NameMap = new Map([[0, "default"]]);
export const REALMS: NameMap = new Map([[0, "cosmos"]]);

/** A leading number takes the value/mask path; anything else must be a name of the map (with the full mask). */
export function parseNamedValueMask(ctx: ParseContext, token: Token, names: NameMap, what: string): ValueMask {
  const [valueText = ""] = token.text.split("/", 1);
  if (parseCNumber(valueText) !== undefined) return parseValueMask(ctx, token, what);
  const id = [...names].find(([, name]) => name === token.text)?.[0];
  if (id === undefined) ctx.fail(token, `could not map name "${token.text}" to a ${what}`, "bad-value");
  return { value: id, mask: 0xffffffff };
}

/** `0xV/0xM` under a partial mask, else the value's name, else `0xV`. */
export function formatNamedValueMask(v: ValueMask, names: NameMap): string {
  if (v.mask !== 0xffffffff) return `0x${v.value.toString(16)}/0x${v.mask.toString(16)}`;
  return names.get(v.value) ?? `0x${v.value.toString(16)}`;
}
