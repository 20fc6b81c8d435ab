/**
 * The order of netfilter's work at each hook, from the priorities every table and
 * conntrack register their hook functions with (the kernel calls them lowest first):
 * enum nf_ip_hook_priorities in include/uapi/linux/netfilter_ipv4.h (nf_ip6_hook_priorities
 * has the same values), as iptables-nft gives them to its tables' base chains, except the
 * security table: iptables-nft 1.8 registers it at 150 (`nft list chains` shows it), after
 * nat's 100 at INPUT, where iptables-legacy's iptable_security used NF_IP_PRI_SECURITY (50).
 * test/conformance/hook-order.test.ts checks every hook's order against the kernel.
 */
import { BUILTIN_CHAINS, TABLE_NAMES, type Hook, type TableName } from "./types.js";

/** What runs at a hook: a table's built-in chain, or conntrack giving the packet its entry (nf_conntrack_in). */
export type HookStage = TableName | "conntrack";

/** The hooks where conntrack looks the packet up: where packets enter the stack (it confirms the entry last, at INPUT and POSTROUTING). */
const CONNTRACK_HOOKS: readonly Hook[] = ["PREROUTING", "OUTPUT"];

/** The priority of a stage at a hook (NF_IP_PRI_*): lower runs first. */
export function stagePriority(stage: HookStage, hook: Hook): number {
  switch (stage) {
    case "raw":
      return -300;
    case "conntrack":
      return -200;
    case "mangle":
      return -150;
    case "nat":
      // Destination NAT on the way in (NF_IP_PRI_NAT_DST), source NAT on the way out (NF_IP_PRI_NAT_SRC).
      return hook === "PREROUTING" || hook === "OUTPUT" ? -100 : 100;
    case "filter":
      return 0;
    case "security":
      return 150;
  }
}

function stagesOf(hook: Hook): readonly HookStage[] {
  const tables: HookStage[] = TABLE_NAMES.filter((table) => BUILTIN_CHAINS[table].includes(hook));
  const stages = CONNTRACK_HOOKS.includes(hook) ? [...tables, "conntrack" as const] : tables;
  return stages.sort((a, b) => stagePriority(a, hook) - stagePriority(b, hook));
}

function byHook<T>(of: (hook: Hook) => T): Readonly<Record<Hook, T>> {
  return { PREROUTING: of("PREROUTING"), INPUT: of("INPUT"), FORWARD: of("FORWARD"), OUTPUT: of("OUTPUT"), POSTROUTING: of("POSTROUTING") };
}

/** The stages each hook runs, in the kernel's order. */
export const HOOK_STAGES = byHook(stagesOf);

/** The tables each hook runs, in the kernel's order (conntrack runs between raw and mangle where it runs). */
export const HOOK_TABLES = byHook((hook) => HOOK_STAGES[hook].filter((stage): stage is TableName => stage !== "conntrack"));
