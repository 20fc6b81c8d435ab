/**
 * Who wrote the rules, for the last line of `why`: Docker (its era), kube-proxy (its mode),
 * or both. A Kubernetes node's empty DOCKER chain (left by the container runtime) does not
 * make its rules Docker's; bridges named in the rules without any Docker chain are not "no
 * Docker rules" but rules for Docker's bridges that Docker did not write.
 */
import type { DockerLayout } from "../docker/layout.js";
import { kubeProxyMode, type KubeProxyMode } from "../kube/index.js";
import type { Ruleset } from "../ruleset/types.js";

export interface Writers {
  /** Docker's era in words, when Docker wrote rules here. */
  readonly docker?: string;
  readonly kubeProxy?: KubeProxyMode;
}

export function rulesWriters(ruleset: Ruleset, layout: DockerLayout): Writers {
  const kubeProxy = kubeProxyMode(ruleset);
  const dockerRules = layout.chains.some((tc) => {
    const [table, chain] = tc.split(":") as [string, string];
    return (ruleset.tables.find((t) => t.name === table)?.chainsByName.get(chain)?.rules.length ?? 0) > 0;
  });
  const docker =
    layout.era === "none" || (kubeProxy !== undefined && !dockerRules)
      ? undefined
      : layout.era === "iptables-disabled" && namesDockerBridge(ruleset)
        ? "hand or another tool: the rules name Docker's bridges but have none of Docker's chains (Docker's daemon may run with --iptables=false)"
        : layout.description;
  return { ...(docker && { docker }), ...(kubeProxy && { kubeProxy }) };
}

/** Whether any rule names a Docker bridge (docker*, br-*) in -i or -o. */
export function namesDockerBridge(ruleset: Ruleset): boolean {
  const bridge = (name: string | undefined) => name !== undefined && /^(docker|br-)/.test(name);
  return ruleset.tables.some((t) => t.chains.some((c) => c.rules.some((r) => bridge(r.header.inInterface?.value) || bridge(r.header.outInterface?.value))));
}

/** IPVS mode's services live in the kernel's IPVS tables, not in the rules: said in every answer on such a node. */
export const IPVS_NOTE =
  "kube-proxy runs in IPVS mode here: its services are in the kernel's IPVS tables (ipvsadm -Ln), which nfwalk does not model; the rules only mark, accept and masquerade them, so for a service address this answer is not what the node does";
