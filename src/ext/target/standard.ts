/**
 * The verdicts built into every table (iptables' "standard" target):
 * ACCEPT, DROP, RETURN and QUEUE take no options.
 */
import type { TargetEffect } from "../semantics.js";
import type { TargetExtension } from "../types.js";

export type StandardVerdict = "ACCEPT" | "DROP" | "RETURN" | "QUEUE";

const EFFECTS: Readonly<Record<StandardVerdict, TargetEffect>> = {
  ACCEPT: { kind: "accept" },
  DROP: { kind: "drop" },
  RETURN: { kind: "return" },
  // NF_QUEUE to queue 0: the verdict is a userspace program's, or a drop when none listens.
  QUEUE: { kind: "queue", description: "QUEUE hands the packet to a userspace program on queue 0 (dropped if none listens); nfwalk cannot know its verdict" },
};

function standard(name: StandardVerdict): TargetExtension<Record<string, never>> {
  const effect = EFFECTS[name];
  return { kind: "target", name, options: [], parse: () => ({}), save: () => "", apply: () => effect };
}

export const ACCEPT = standard("ACCEPT");
export const DROP = standard("DROP");
export const RETURN = standard("RETURN");
export const QUEUE = standard("QUEUE");
