/**
 * What a trace did with kube-proxy's rules: for every branch, the service it met, how it
 * came in (cluster IP, node port, …), the endpoint kube-proxy's random choice sent it to,
 * the branch's probability and how it ended.
 */
import type { Rule, Ruleset } from "../ruleset/types.js";
import type { Branch, Outcome, RuleStep, Trace } from "../engine/types.js";
import { kubeChainKind } from "./chains.js";
import { commentOf, type KubeEndpoint, type KubePortal, type KubeProxyView, type KubeService } from "./services.js";

export interface KubeRoute {
  readonly service: KubeService;
  /** The portal rule the packet matched, when it came in through one. */
  readonly portal: KubePortal | undefined;
  /** The endpoint the packet was DNATed to; undefined when the service has none or the packet stopped before. */
  readonly endpoint: KubeEndpoint | undefined;
  /** The branch's probability (undefined when nothing random was on its way, or it was pinned by --assume). */
  readonly probability: number | undefined;
  readonly outcome: Outcome;
  /** 0-based index into trace.branches. */
  readonly branch: number;
}

/** One route a branch for every branch that met a kube-proxy service; empty when none did. */
export function kubeRoutes(trace: Trace, ruleset: Ruleset, view: KubeProxyView): KubeRoute[] {
  return trace.branches.flatMap((branch, i) => {
    const route = routeOf(branch, ruleset, view);
    return route === undefined ? [] : [{ ...route, probability: branch.probability, outcome: branch.outcome, branch: i }];
  });
}

function routeOf(branch: Branch, ruleset: Ruleset, view: KubeProxyView): Pick<KubeRoute, "service" | "portal" | "endpoint"> | undefined {
  let service: KubeService | undefined;
  let portal: KubePortal | undefined;
  let endpoint: KubeEndpoint | undefined;
  for (const step of branch.steps) {
    if (step.type !== "rule") continue;
    const found = view.endpointOfChain(step.chain);
    if (found !== undefined) ({ service, endpoint } = found);
    const entered = step.target === undefined ? undefined : view.serviceOfChain(step.target);
    const rule = ruleOf(step, ruleset);
    const rejected = rule === undefined ? undefined : commentOf(rule);
    const named = entered ?? (rejected?.kind === "no-endpoints" ? view.services.find((s) => s.name === rejected.service) : undefined);
    if (named !== undefined && service === undefined) {
      service = named;
      portal = kubeChainKind(step.chain) === "services" || kubeChainKind(step.chain) === "nodeports" || rejected?.kind === "no-endpoints" ? named.portals.find((p) => p.line === step.line) : undefined;
    }
  }
  return service === undefined ? undefined : { service, portal, endpoint };
}

function ruleOf(step: RuleStep, ruleset: Ruleset): Rule | undefined {
  return ruleset.tablesByName.get(step.table)?.chainsByName.get(step.chain)?.rules[step.rule - 1];
}
