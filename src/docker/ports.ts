/**
 * The ports Docker publishes (from its DNAT rules), where each leads, and whether a
 * client outside, the host itself and other containers reach it — each decided by
 * tracing a packet with the engine. With Docker's inspect output the containers and
 * networks are named, and ports Docker publishes without a DNAT rule are listed.
 * `nfwalk ports` prints {@link portsText} or {@link portsJson} of {@link dockerPorts}.
 */
import type { Host } from "../host/types.js";
import { formatRange } from "../ext/values.js";
import { formatAddress, formatEndpoint } from "../packet/format.js";
import type { Ruleset } from "../ruleset/types.js";
import { inspectOnlyPorts, type InspectOnlyPort } from "./inspect-only.js";
import type { DockerInventory } from "./inventory.js";
import { dockerLayout } from "./layout.js";
import { containerWords, nameContainer, nameNetwork, networkWords, type ContainerName, type NetworkName } from "./names.js";
import { publishedPorts, type PublishedPort } from "./published.js";
import { reachOf, type Reach } from "./reach.js";

export interface PortNames {
  readonly container?: ContainerName;
  readonly network?: NetworkName;
}

const CLIENTS: Readonly<Record<Reach["client"], string>> = { outside: "from outside", host: "from the host", containers: "from containers" };
const VERDICTS: Readonly<Record<Reach["verdict"], string>> = { yes: "yes", proxy: "via docker-proxy", no: "no", unknown: "cannot tell" };

/** A published port, who reaches it, and its container and network by name when Docker's inspect output was given. */
export interface PortReport {
  readonly port: PublishedPort;
  readonly reach: readonly Reach[];
  readonly names: PortNames | undefined;
}

/** What {@link dockerPorts} finds: the Docker that wrote the rules and each published port. */
export interface PortsReport {
  /** Which Docker wrote the rules, in words. */
  readonly docker: string;
  readonly ports: readonly PortReport[];
  /** Ports `docker inspect` says are published that no DNAT rule publishes; undefined without the inspect output. */
  readonly inspectOnly: readonly InspectOnlyPort[] | undefined;
}

/** Every port Docker's rules publish, each with a traced answer for each kind of client. */
export function dockerPorts(ruleset: Ruleset, host: Host, docker?: DockerInventory): PortsReport {
  const layout = dockerLayout(ruleset, host);
  const published = publishedPorts(ruleset);
  const ports = published.map((port) => ({ port, reach: reachOf(ruleset, host, port), names: docker && portNames(docker, port) }));
  return { docker: layout.description, ports, inspectOnly: docker && inspectOnlyPorts(docker, published, ruleset.family) };
}

/** The report as `nfwalk ports --json` prints it. */
export function portsJson(report: PortsReport): object {
  const list = report.ports.map(({ port, reach, names }) => ({ ...portJson(port), ...(names && { names }), reach }));
  const unruled = report.inspectOnly && { inspectOnly: report.inspectOnly.map(inspectOnlyJson) };
  return { docker: report.docker, ports: list, ...unruled };
}

/** The report as `nfwalk ports` prints it. */
export function portsText(report: PortsReport): string {
  const lines = [`rules written by ${report.docker}`];
  if (report.ports.length === 0) lines.push("no published ports");
  for (const { port, reach, names } of report.ports) {
    lines.push("", portLine(port, names));
    for (const r of reach) lines.push(`  ${CLIENTS[r.client].padEnd(16)} ${VERDICTS[r.verdict].padEnd(17)} ${r.packet ? `${r.packet}, ${r.from}: ` : ""}${r.detail}`);
  }
  const inspectOnly = report.inspectOnly ?? [];
  if (inspectOnly.length > 0) {
    lines.push(
      "",
      "docker inspect says these are published, but no DNAT rule here publishes them: docker-proxy alone serves them (where the userland proxy runs), or the rules and the inspect output are from different times",
    );
    lines.push(...inspectOnly.map(inspectOnlyLine));
  }
  return lines.join("\n") + "\n";
}

/** The port's container by name, and its network: the rule's bridge, else the network whose subnet holds the container. */
function portNames(docker: DockerInventory, port: PublishedPort): PortNames {
  const container = nameContainer(docker, port.container.address, port.container.port);
  const bridge = port.bridge ?? docker.networkOfAddress(port.container.address)?.bridge;
  const network = bridge === undefined ? undefined : nameNetwork(docker, bridge);
  return { ...(container && { container }), ...(network && { network }) };
}

function hostSide(port: PublishedPort): string {
  return `${port.hostAddress ? formatAddress(port.hostAddress) : "*"}:${formatRange(port.hostPort, "-")}`;
}

function portLine(port: PublishedPort, names: PortNames | undefined): string {
  const network = names?.network ? networkWords(names.network.name, names.network.bridge) : port.bridge;
  const target = names?.container ? containerWords(names.container) : `${formatEndpoint(port.container.address, port.container.port)}${network ? ` on ${network}` : ""}`;
  return `${port.protocol} ${hostSide(port)} -> ${target}  (${port.rule.table} ${port.rule.chain} line ${port.rule.line})`;
}

function portJson(port: PublishedPort): object {
  return {
    protocol: port.protocol,
    hostAddress: port.hostAddress ? formatAddress(port.hostAddress) : null,
    hostPort: port.hostPort,
    container: { address: formatAddress(port.container.address), port: port.container.port },
    bridge: port.bridge ?? null,
    loopbackOnly: port.loopbackOnly,
    line: port.rule.line,
  };
}

function inspectOnlyLine(p: InspectOnlyPort): string {
  return `${p.protocol} ${p.hostAddress ? formatAddress(p.hostAddress) : "*"}:${p.hostPort} -> ${containerWords(p.container)}`;
}

function inspectOnlyJson(p: InspectOnlyPort): object {
  return { ...p, hostAddress: p.hostAddress ? formatAddress(p.hostAddress) : null };
}
