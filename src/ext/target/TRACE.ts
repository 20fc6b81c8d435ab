/**
 * `-j TRACE` (libxt_TRACE): log the packet's walk through every later rule.
 * iptables-nft makes it nf_tables' `meta nftrace set 1`, so, unlike the
 * legacy target, it is accepted in every table.
 */
import type { TargetExtension } from "../types.js";

export const TRACE: TargetExtension<Record<string, never>> = {
  kind: "target",
  name: "TRACE",
  options: [],
  parse: () => ({}),
  save: () => "",
  // trace_tg sets skb->nf_trace (nf_tables: meta nftrace set 1); the walk goes on.
  apply: () => ({ kind: "continue", note: "TRACE: from here on the kernel reports every rule this packet meets (xtables-monitor --trace)" }),
};
