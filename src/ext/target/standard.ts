/**
 * The verdicts built into every table (iptables' "standard" target):
 * ACCEPT, DROP, RETURN and QUEUE take no options.
 */
import type { TargetExtension } from "../types.js";

export type StandardVerdict = "ACCEPT" | "DROP" | "RETURN" | "QUEUE";

function standard(name: StandardVerdict): TargetExtension<Record<string, never>> {
  return { kind: "target", name, options: [], parse: () => ({}), save: () => "" };
}

export const ACCEPT = standard("ACCEPT");
export const DROP = standard("DROP");
export const RETURN = standard("RETURN");
export const QUEUE = standard("QUEUE");
