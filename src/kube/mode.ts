/** Which kube-proxy wrote the rules: iptables mode (KUBE-SVC/KUBE-SEP chains) or IPVS mode (ipsets, KUBE-CLUSTER-IP). */
import { set } from "../ext/match/set.js";
import { matchOptions } from "../ruleset/options.js";
import type { Ruleset } from "../ruleset/types.js";

export type KubeProxyMode = "iptables" | "ipvs";

/** IPVS mode's own chains (pkg/proxy/ipvs/proxier.go); iptables mode never creates them. */
const IPVS_CHAINS = ["KUBE-LOAD-BALANCER", "KUBE-NODE-PORT", "KUBE-LOOP-BACK"];

export function kubeProxyMode(ruleset: Ruleset): KubeProxyMode | undefined {
  const nat = ruleset.tablesByName.get("nat");
  if (nat === undefined || !nat.chainsByName.has("KUBE-SERVICES")) return undefined;
  if (IPVS_CHAINS.some((name) => nat.chainsByName.has(name))) return "ipvs";
  const setNames = nat.chainsByName.get("KUBE-SERVICES")!.rules.flatMap((r) => matchOptions(r, set).map((o) => o.name));
  return setNames.includes("KUBE-CLUSTER-IP") ? "ipvs" : "iptables";
}
