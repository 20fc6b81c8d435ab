/**
 * kube-proxy's chains (iptables mode, pkg/proxy/iptables/proxier.go) and what each is for.
 * Per-service chains share one hash: KUBE-SVC-X, KUBE-EXT-X, KUBE-FW-X and KUBE-SVL-X
 * belong to the same service port; KUBE-SEP-Y is one endpoint of it.
 */
export type KubeChainKind =
  /** KUBE-SERVICES: the entry from PREROUTING and OUTPUT, one rule per service portal. */
  | "services"
  /** KUBE-SVC-X: a service port's cluster-wide endpoints, picked at random. */
  | "service"
  /** KUBE-SVL-X (KUBE-XLB-X before 1.24): a service port's node-local endpoints. */
  | "service-local"
  /** KUBE-EXT-X: traffic from outside the cluster (node ports, external and load-balancer IPs). */
  | "external"
  /** KUBE-FW-X: a load balancer's source ranges. */
  | "load-balancer-firewall"
  /** KUBE-SEP-Y: one endpoint; DNATs to the pod. */
  | "endpoint"
  /** KUBE-NODEPORTS: a service's node ports, on every local address. */
  | "nodeports"
  /** KUBE-MARK-MASQ: marks 0x4000 for masquerading at POSTROUTING. */
  | "mark-masq"
  /** KUBE-MARK-DROP (before 1.25). */
  | "mark-drop"
  /** KUBE-POSTROUTING: masquerades what KUBE-MARK-MASQ marked. */
  | "postrouting"
  /** filter chains: KUBE-FORWARD, KUBE-FIREWALL, KUBE-PROXY-FIREWALL, KUBE-EXTERNAL-SERVICES, and KUBE-SERVICES' rejects. */
  | "filter"
  /** KUBE-KUBELET-CANARY, KUBE-PROXY-CANARY, KUBE-IPTABLES-HINT: empty markers. */
  | "canary";

const PREFIXES: readonly (readonly [string, KubeChainKind])[] = [
  ["KUBE-SVC-", "service"],
  ["KUBE-SVL-", "service-local"],
  ["KUBE-XLB-", "service-local"],
  ["KUBE-EXT-", "external"],
  ["KUBE-FW-", "load-balancer-firewall"],
  ["KUBE-SEP-", "endpoint"],
];

// A Map, not an object: looking a chain name up in an object interns the name first.
const NAMES: ReadonlyMap<string, KubeChainKind> = new Map<string, KubeChainKind>([
  ["KUBE-SERVICES", "services"],
  ["KUBE-NODEPORTS", "nodeports"],
  ["KUBE-MARK-MASQ", "mark-masq"],
  ["KUBE-MARK-DROP", "mark-drop"],
  ["KUBE-POSTROUTING", "postrouting"],
  ["KUBE-FORWARD", "filter"],
  ["KUBE-FIREWALL", "filter"],
  ["KUBE-PROXY-FIREWALL", "filter"],
  ["KUBE-EXTERNAL-SERVICES", "filter"],
  ["KUBE-KUBELET-CANARY", "canary"],
  ["KUBE-PROXY-CANARY", "canary"],
  ["KUBE-IPTABLES-HINT", "canary"],
]);

/** What a kube-proxy chain is for; undefined for a chain that is not kube-proxy's. */
export function kubeChainKind(chain: string): KubeChainKind | undefined {
  return NAMES.get(chain) ?? PREFIXES.find(([prefix]) => chain.startsWith(prefix))?.[1];
}

/** The hash a per-service chain shares with its service's other chains (KUBE-EXT-X → X). */
export function serviceHash(chain: string): string | undefined {
  const prefix = PREFIXES.find(([p, kind]) => chain.startsWith(p) && kind !== "endpoint")?.[0];
  return prefix === undefined ? undefined : chain.slice(prefix.length);
}
