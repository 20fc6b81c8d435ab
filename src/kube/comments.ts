/**
 * The comments kube-proxy puts on its rules (`-m comment`), which name the service port
 * (`namespace/name:port`, or `namespace/name` for an unnamed port) and say what the rule is.
 */
export type KubeComment =
  /** "ns/svc:port cluster IP", "… external IP", "… loadbalancer IP" on the KUBE-SERVICES portal rules. */
  | { readonly kind: "portal"; readonly service: string; readonly portal: "cluster IP" | "external IP" | "loadbalancer IP" }
  /** "ns/svc:port -> 10.244.1.5:8080" on the rule of KUBE-SVC-X that picks an endpoint. */
  | { readonly kind: "endpoint"; readonly service: string; readonly endpoint: string }
  /** "ns/svc:port has no endpoints" on filter's REJECT rules. */
  | { readonly kind: "no-endpoints"; readonly service: string }
  /** "masquerade traffic for ns/svc:port external destinations" in KUBE-EXT-X. */
  | { readonly kind: "masquerade"; readonly service: string }
  /** A bare "ns/svc:port": KUBE-NODEPORTS and KUBE-SEP-Y rules. */
  | { readonly kind: "service"; readonly service: string };

const NAME = String.raw`[^\s/]+/[^\s]+`;
const PATTERNS: readonly (readonly [RegExp, (m: RegExpExecArray) => KubeComment])[] = [
  [new RegExp(`^(${NAME}) (cluster IP|external IP|loadbalancer IP)$`), (m) => ({ kind: "portal", service: m[1]!, portal: m[2] as "cluster IP" })],
  [new RegExp(`^(${NAME}) -> (\\S+)$`), (m) => ({ kind: "endpoint", service: m[1]!, endpoint: m[2]! })],
  [new RegExp(`^(${NAME}) has no endpoints$`), (m) => ({ kind: "no-endpoints", service: m[1]! })],
  [new RegExp(`^masquerade traffic for (${NAME}) external destinations$`), (m) => ({ kind: "masquerade", service: m[1]! })],
  [new RegExp(`^(${NAME})$`), (m) => ({ kind: "service", service: m[1]! })],
];

export function parseKubeComment(text: string): KubeComment | undefined {
  for (const [pattern, build] of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return build(m);
  }
  return undefined;
}
