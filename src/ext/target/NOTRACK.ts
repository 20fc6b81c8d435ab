/**
 * `-j NOTRACK`: the packet's connection is not tracked. iptables keeps it as
 * an alias of `CT --notrack` (revision 2) and iptables-save prints it under
 * its own name.
 */
import { withMeta } from "../semantics.js";
import type { TargetExtension } from "../types.js";

export const NOTRACK: TargetExtension<Record<string, never>> = {
  kind: "target",
  name: "NOTRACK",
  options: [],
  tables: ["raw"],
  parse: () => ({}),
  save: () => "",
  // notrack_tg: nf_ct_set(skb, NULL, IP_CT_UNTRACKED), unless the packet already has a connection (looping through lo).
  apply: (_o, env) =>
    env.inInterface === "lo"
      ? { kind: "continue", note: "NOTRACK does nothing: the packet brings its connection along through lo" }
      : { kind: "continue", update: (meta) => withMeta(meta, { untracked: true }), note: "NOTRACK: connection tracking leaves the packet alone" },
};
