/**
 * Docker's networks as its rules (and the host's routes) describe them: the
 * bridge, its subnet, whether it is --internal, whether its containers may
 * talk to each other (icc), and its gateway mode (Docker 28+).
 */
import type { Host } from "../host/index.js";
import { formatAddress } from "../host/prefix.js";
import { formatCidr } from "../model/address.js";
import type { Rule, Ruleset } from "../ruleset/types.js";
import { isDockerBridgeName, isDockerChain, type DockerLayout } from "./layout.js";

export type GatewayMode = "nat" | "nat-unprotected" | "routed";

export interface DockerNetwork {
  readonly bridge: string;
  /** e.g. 172.17.0.0/16, from the host's routes or Docker's MASQUERADE rule. */
  readonly subnet: string | undefined;
  readonly internal: boolean;
  /** Containers on the bridge may talk to each other. */
  readonly icc: boolean;
  /** Docker 28+ only; undefined before, or when the rules do not tell. */
  readonly gatewayMode: GatewayMode | undefined;
}

const targetOf = (rule: Rule): string | undefined => (rule.action?.kind === "target" ? rule.action.target.extension.name : undefined);

export function dockerNetworks(ruleset: Ruleset, host: Host, layout: DockerLayout): DockerNetwork[] {
  const rules = ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules));
  const dockerRules = rules.filter((r) => isDockerChain(r.chain) || r.chain === "FORWARD" || r.chain === "POSTROUTING");
  const bridges = new Set<string>();
  for (const r of dockerRules) for (const i of [r.header.inInterface, r.header.outInterface]) if (i && isDockerBridgeName(i.value)) bridges.add(i.value);
  for (const i of host.interfaces) if (isDockerBridgeName(i.name)) bridges.add(i.name);
  return [...bridges].map((bridge) => network(bridge, rules, host, layout));
}

function network(bridge: string, rules: readonly Rule[], host: Host, layout: DockerLayout): DockerNetwork {
  const on = (r: Rule, field: "inInterface" | "outInterface", negated: boolean) => r.header[field]?.value === bridge && r.header[field]?.negated === negated;
  const internal = rules.some(
    (r) =>
      (r.chain === "DOCKER-INTERNAL" || r.chain.startsWith("DOCKER-ISOLATION")) &&
      targetOf(r) === "DROP" &&
      (on(r, "outInterface", false) || on(r, "inInterface", false)) &&
      (r.header.source?.negated || r.header.destination?.negated),
  );
  const icc = !rules.some((r) => targetOf(r) === "DROP" && on(r, "inInterface", false) && on(r, "outInterface", false));
  return { bridge, subnet: subnetOf(bridge, rules, host), internal, icc, gatewayMode: gatewayMode(bridge, rules, layout) };
}

function subnetOf(bridge: string, rules: readonly Rule[], host: Host): string | undefined {
  const route = host.routes.find((r) => r.device === bridge && r.type === "unicast" && r.gateway === undefined && r.prefixLength > 0);
  if (route) return `${formatAddress(route.destination)}/${route.prefixLength}`;
  const masquerade = rules.find((r) => targetOf(r) === "MASQUERADE" && r.header.outInterface?.value === bridge && r.header.outInterface.negated && r.header.source && !r.header.source.negated);
  return masquerade?.header.source ? formatCidr(masquerade.header.source.value) : undefined;
}

/** nat: raw drops direct access; nat-unprotected: DOCKER accepts every outside packet to the bridge; routed: neither, and DOCKER still guards the bridge. */
function gatewayMode(bridge: string, rules: readonly Rule[], layout: DockerLayout): GatewayMode | undefined {
  if (layout.era !== "28" && layout.era !== "29") return undefined;
  const guard = rules.find(
    (r) =>
      r.chain === "DOCKER" &&
      r.table === "filter" &&
      r.header.inInterface?.value === bridge &&
      r.header.inInterface.negated &&
      r.header.outInterface?.value === bridge &&
      !r.header.outInterface.negated &&
      r.matches.length === 0 &&
      !r.header.protocol,
  );
  if (guard && targetOf(guard) === "ACCEPT") return "nat-unprotected";
  const rawDrop = rules.some((r) => r.table === "raw" && r.header.inInterface?.value === bridge && r.header.inInterface.negated && targetOf(r) === "DROP");
  if (rawDrop) return "nat";
  const containerRule = rules.some((r) => r.chain === "DOCKER" && r.table === "filter" && r.header.destination !== undefined && r.header.outInterface?.value === bridge);
  return guard && containerRule ? "routed" : undefined;
}
