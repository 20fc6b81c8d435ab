/**
 * Chains a tool writes and rewrites on its own: Docker's (but DOCKER-USER, which
 * Docker creates for the user's rules) and kube-proxy's. Their empty chains, unused
 * chains and explicit RETURNs are the tool's layout, which the user does not edit:
 * lint's structural hints (NF103–NF105) leave them out.
 */
import { isDockerChain } from "../docker/layout.js";
import { kubeChainKind } from "../kube/chains.js";

export function managedChain(chain: string): boolean {
  return chain !== "DOCKER-USER" && (isDockerChain(chain) || kubeChainKind(chain) !== undefined);
}
