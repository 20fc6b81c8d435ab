/**
 * What a trace did with kube-proxy's services, per service: how the packet came in and
 * which endpoints it can reach, with their chances and outcomes. Plain data, for JSON
 * and for the text lines.
 */
import type { Outcome } from "../engine/types.js";
import type { KubePortal } from "./services.js";
import type { KubeRoute } from "./trace.js";

export interface KubeEndpointReach {
  /** `ip:port`; null for the branches that reached no endpoint (a service without endpoints). */
  readonly address: string | null;
  /** The chance of a new connection going this way; null when nothing random decided it. */
  readonly probability: number | null;
  readonly outcomes: readonly Outcome[];
}

export interface KubeServiceReach {
  /** `namespace/name:port`. */
  readonly service: string;
  /** The portal (cluster IP, node port, …) the packet came in through. */
  readonly via: KubePortal | null;
  readonly endpoints: readonly KubeEndpointReach[];
}

export function kubeSummary(routes: readonly KubeRoute[]): KubeServiceReach[] {
  return [...groupBy(routes, (r) => r.service.name).values()].map((group) => ({
    service: group[0]!.service.name,
    via: group[0]!.portal ?? null,
    endpoints: [...groupBy(group, (r) => r.endpoint?.address ?? "").values()].map((rs) => ({
      address: rs[0]!.endpoint?.address ?? null,
      probability: rs.some((r) => r.probability === undefined) ? null : rs.reduce((sum, r) => sum + r.probability!, 0),
      outcomes: [...new Set(rs.map((r) => r.outcome))],
    })),
  }));
}

/** Map.groupBy, which Node 20 lacks: groups in first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
