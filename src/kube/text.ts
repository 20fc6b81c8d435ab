/**
 * kube-proxy's services a trace met, in words:
 *
 *   default/web:http via cluster IP 10.96.0.20:80 → 10.244.1.5:8080 50% (forwarded), 10.244.2.7:8080 50% (forwarded)
 */
import type { KubePortal } from "./services.js";
import { kubeSummary, type KubeEndpointReach, type KubeServiceReach } from "./summary.js";
import type { KubeRoute } from "./trace.js";

/** The "kubernetes:" lines of a text trace, one per service met. */
export function kubeText(routes: readonly KubeRoute[]): string {
  return kubeSummary(routes)
    .map((s) => `kubernetes: ${kubeServiceWords(s)}\n`)
    .join("");
}

export function kubeServiceWords(s: KubeServiceReach): string {
  return `${s.service}${portalText(s.via)} → ${s.endpoints.map(endpointText).join(", ")}`;
}

function portalText(portal: KubePortal | null): string {
  if (portal === null) return "";
  const where = portal.address === undefined ? `${portal.protocol} port ${portal.port ?? "any"}` : `${portal.address}:${portal.port ?? "any"}`;
  return ` via ${portal.kind} ${where}`;
}

function endpointText(e: KubeEndpointReach): string {
  const chance = e.probability === null ? "" : ` ${Math.round(e.probability * 10000) / 100}%`;
  return `${e.address ?? "no endpoint"}${chance} (${e.outcomes.join(" or ")})`;
}
