/**
 * kube-proxy's services read back from its iptables-mode rules: each service port's
 * portals (cluster IP, node port, external and load-balancer IPs) and its endpoints, with
 * the chance kube-proxy's `-m statistic --mode random` cascade gives each one.
 */
import { comment } from "../ext/match/comment.js";
import { formatAddress, ipv4, ipv6 } from "../host/prefix.js";
import type { Family } from "../model/types.js";
import { matchOptions } from "../ruleset/options.js";
import type { Rule, Ruleset, Table } from "../ruleset/types.js";
import { kubeChainKind, serviceHash } from "./chains.js";
import { parseKubeComment, type KubeComment } from "./comments.js";
import { kubeProxyMode, type KubeProxyMode } from "./mode.js";
import { randomChance } from "./probability.js";

export type PortalKind = "cluster IP" | "external IP" | "loadbalancer IP" | "node port";

export interface KubePortal {
  readonly kind: PortalKind;
  /** tcp, udp or sctp. */
  readonly protocol: string;
  /** The portal's address; undefined for a node port (every local address). */
  readonly address: string | undefined;
  readonly port: number | undefined;
  /** The rule's line in the dump. */
  readonly line: number;
}

export interface KubeEndpoint {
  /** KUBE-SEP-Y. */
  readonly chain: string;
  /** `ip:port`, from the endpoint's DNAT. */
  readonly address: string;
  /** The chance a new connection that reaches the service chain picks this endpoint (the kernel's rounded odds). */
  readonly probability: number;
}

export interface KubeService {
  /** `namespace/name:port`, or `namespace/name` for an unnamed port. */
  readonly name: string;
  /** KUBE-SVC-X (KUBE-SVL-X when the service has only local endpoints); undefined without endpoints. */
  readonly chain: string | undefined;
  readonly portals: readonly KubePortal[];
  readonly endpoints: readonly KubeEndpoint[];
}

export interface KubeProxyView {
  readonly mode: KubeProxyMode;
  /** In the order their first rule appears. */
  readonly services: readonly KubeService[];
  /** The service a per-service chain (KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW-) belongs to. */
  serviceOfChain(chain: string): KubeService | undefined;
  /** The endpoint a KUBE-SEP- chain stands for, and its service. */
  endpointOfChain(chain: string): { readonly service: KubeService; readonly endpoint: KubeEndpoint } | undefined;
}

interface Draft {
  readonly name: string;
  chain: string | undefined;
  readonly portals: KubePortal[];
  endpoints: KubeEndpoint[];
}

const PROTOCOLS: Readonly<Record<number, string>> = { 6: "tcp", 17: "udp", 132: "sctp" };

/** The view of a kube-proxy ruleset (iptables mode; IPVS mode has its services in IPVS, not in rules), or undefined. */
export function kubeProxyView(ruleset: Ruleset): KubeProxyView | undefined {
  const mode = kubeProxyMode(ruleset);
  const nat = ruleset.tablesByName.get("nat");
  if (mode === undefined || nat === undefined) return undefined;
  const drafts = new Map<string, Draft>();
  const draft = (name: string): Draft => drafts.get(name) ?? drafts.set(name, { name, chain: undefined, portals: [], endpoints: [] }).get(name)!;
  const byHash = serviceNames(nat);
  const portal = (rule: Rule, kind: PortalKind): KubePortal => ({
    kind,
    protocol: PROTOCOLS[rule.header.protocol?.value ?? 0] ?? "all",
    address: kind === "node port" ? undefined : destinationOf(rule),
    port: destinationPort(rule, ruleset.family),
    line: rule.line,
  });
  for (const rule of nat.chainsByName.get("KUBE-SERVICES")?.rules ?? []) {
    const c = commentOf(rule);
    if (c?.kind === "portal" && jumpOf(rule) !== undefined) draft(c.service).portals.push(portal(rule, c.portal));
  }
  for (const rule of nat.chainsByName.get("KUBE-NODEPORTS")?.rules ?? []) {
    const name = byHash.get(serviceHash(jumpOf(rule) ?? "") ?? "");
    if (name !== undefined) draft(name).portals.push(portal(rule, "node port"));
  }
  for (const [chainName, kind] of [
    ["KUBE-SERVICES", "cluster IP"],
    ["KUBE-EXTERNAL-SERVICES", "node port"],
  ] as const) {
    for (const rule of ruleset.tablesByName.get("filter")?.chainsByName.get(chainName)?.rules ?? []) {
      const c = commentOf(rule);
      if (c?.kind === "no-endpoints") draft(c.service).portals.push(portal(rule, rule.header.destination ? (kind === "node port" ? "external IP" : kind) : "node port"));
    }
  }
  // Endpoints from KUBE-SVC-X; from KUBE-SVL-X only when the service has no cluster-wide chain.
  for (const kind of ["service", "service-local"] as const) {
    for (const chain of nat.chains) {
      const name = byHash.get(serviceHash(chain.name) ?? "");
      if (kubeChainKind(chain.name) !== kind || name === undefined || draft(name).chain !== undefined) continue;
      Object.assign(draft(name), { chain: chain.name, endpoints: endpointsOf(chain.rules, nat, ruleset) });
    }
  }
  const services: KubeService[] = [...drafts.values()];
  const endpoints = new Map(services.flatMap((service) => service.endpoints.map((endpoint) => [endpoint.chain, { service, endpoint }] as const)));
  return {
    mode,
    services,
    serviceOfChain: (chain) => {
      const name = byHash.get(serviceHash(chain) ?? "");
      return name === undefined ? undefined : drafts.get(name);
    },
    endpointOfChain: (chain) => endpoints.get(chain),
  };
}

/** Service names by chain hash, from the comments of the per-service chains' rules and of the rules that jump to them. */
function serviceNames(nat: Table): Map<string, string> {
  const names = new Map<string, string>();
  for (const chain of nat.chains) {
    for (const rule of chain.rules) {
      const c = commentOf(rule);
      if (c === undefined) continue;
      const hash = serviceHash(jumpOf(rule) ?? "") ?? serviceHash(chain.name);
      if (hash !== undefined && !names.has(hash)) names.set(hash, c.service);
    }
  }
  return names;
}

/** The endpoints a service chain picks from: each KUBE-SEP jump in order, taking what the earlier ones left. */
function endpointsOf(rules: readonly Rule[], nat: Table, ruleset: Ruleset): KubeEndpoint[] {
  let remaining = 1;
  const endpoints: KubeEndpoint[] = [];
  for (const rule of rules) {
    const target = jumpOf(rule);
    if (target === undefined || kubeChainKind(target) !== "endpoint") continue;
    const chance = randomChance(rule) ?? 1;
    const c = commentOf(rule);
    const dnat = nat.chainsByName
      .get(target)
      ?.rules.map((r) => dnatDestination(r, ruleset.family))
      .find((a) => a !== undefined);
    const address = dnat ?? (c?.kind === "endpoint" ? c.endpoint : target);
    endpoints.push({ chain: target, address, probability: remaining * chance });
    remaining *= 1 - chance;
  }
  return endpoints;
}

export function commentOf(rule: Rule): KubeComment | undefined {
  const use = matchOptions(rule, comment)[0];
  return use === undefined ? undefined : parseKubeComment(use.text);
}

// Read from the options as iptables-save prints them, one extension at a time: printing
// whole rules made this view cost a second on a node with 20,000 services.

/** The first `--dport N` of the rule's matches. */
function destinationPort(rule: Rule, family: Family): number | undefined {
  for (const m of rule.matches) {
    const port = /--dport (\d+)/.exec(m.extension.save(m.options, { family }) ?? "")?.[1];
    if (port !== undefined) return Number(port);
  }
  return undefined;
}

/** A DNAT rule's `--to-destination` (`10.244.1.5:8080`). */
function dnatDestination(rule: Rule, family: Family): string | undefined {
  const action = rule.action;
  if (action?.kind !== "target") return undefined;
  const { extension, options } = action.target;
  return /--to-destination (\S+)/.exec(extension.save(options, { family }) ?? "")?.[1];
}

function jumpOf(rule: Rule): string | undefined {
  return rule.action?.kind === "jump" || rule.action?.kind === "goto" ? rule.action.chain : undefined;
}

function destinationOf(rule: Rule): string | undefined {
  const d = rule.header.destination;
  if (d === undefined || d.negated) return undefined;
  return formatAddress(d.value.family === "ipv4" ? ipv4(d.value.address) : ipv6(d.value.address));
}
