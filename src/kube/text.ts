/**
 * The "kubernetes:" lines of a text trace: per service met, how the packet came in and
 * which endpoints it can reach, with their chances and outcomes.
 *
 *   kubernetes: default/web:http via cluster IP 10.96.0.20:80 → 10.244.1.5:8080 50% (forwarded), 10.244.2.7:8080 50% (forwarded)
 */
import type { KubePortal } from "./services.js";
import type { KubeRoute } from "./trace.js";

export function kubeText(routes: readonly KubeRoute[]): string {
  const byService = groupBy(routes, (r) => r.service.name);
  return [...byService.values()].map((group) => `kubernetes: ${group[0]!.service.name}${portalText(group[0]!.portal)} → ${targets(group)}\n`).join("");
}

function portalText(portal: KubePortal | undefined): string {
  if (portal === undefined) return "";
  const where = portal.address === undefined ? `${portal.protocol} port ${portal.port ?? "any"}` : `${portal.address}:${portal.port ?? "any"}`;
  return ` via ${portal.kind} ${where}`;
}

function targets(group: readonly KubeRoute[]): string {
  const byEndpoint = groupBy(group, (r) => r.endpoint?.address ?? "no endpoint");
  return [...byEndpoint].map(([address, rs]) => `${address}${chance(rs)} (${[...new Set(rs.map((r) => r.outcome))].join(" or ")})`).join(", ");
}

function chance(routes: readonly KubeRoute[]): string {
  if (routes.some((r) => r.probability === undefined)) return "";
  const p = routes.reduce((sum, r) => sum + r.probability!, 0);
  return ` ${Math.round(p * 10000) / 100}%`;
}

/** Map.groupBy, which Node 20 lacks: groups in first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
