/**
 * `-j NOTRACK`: the packet's connection is not tracked. iptables keeps it as
 * an alias of `CT --notrack` (revision 2) and iptables-save prints it under
 * its own name.
 */
import type { TargetExtension } from "../types.js";

export const NOTRACK: TargetExtension<Record<string, never>> = {
  kind: "target",
  name: "NOTRACK",
  options: [],
  tables: ["raw"],
  parse: () => ({}),
  save: () => "",
};
