/** Which kube-proxy wrote the rules: iptables mode (KUBE-SVC/KUBE-SEP chains) or IPVS mode (ipsets, KUBE-CLUSTER-IP). */
import type { SetOptions } from "../ext/match/set.js";
import type { Ruleset } from "../ruleset/types.js";

export type KubeProxyMode = "iptables" | "ipvs";

/** IPVS mode's own chains (pkg/proxy/ipvs/proxier.go); iptables mode never creates them. */
const IPVS_CHAINS = ["KUBE-LOAD-BALANCER", "KUBE-NODE-PORT", "KUBE-LOOP-BACK"];

export function kubeProxyMode(ruleset: Ruleset): KubeProxyMode | undefined {
  const nat = ruleset.tablesByName.get("nat");
  if (nat === undefined || !nat.chainsByName.has("KUBE-SERVICES")) return undefined;
  if (IPVS_CHAINS.some((name) => nat.chainsByName.has(name))) return "ipvs";
  const setNames = nat.chainsByName.get("KUBE-SERVICES")!.rules.flatMap((r) => r.matches.filter((m) => m.extension.name === "set").map((m) => (m.options as SetOptions).name));
  return setNames.includes("KUBE-CLUSTER-IP") ? "ipvs" : "iptables";
}
