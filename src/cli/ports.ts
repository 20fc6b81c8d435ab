/**
 * `nfwalk ports`: every port Docker publishes (from its DNAT rules), where it
 * leads, and whether a client outside, the host itself and other containers
 * reach it — each decided by tracing a packet with the engine. With Docker's
 * inspect output the containers and networks are named, and ports Docker
 * publishes without a DNAT rule are listed.
 */
import { Command } from "commander";
import { inspectOnlyPorts, type InspectOnlyPort } from "../docker/inspect-only.js";
import type { DockerInventory } from "../docker/inventory.js";
import { dockerLayout } from "../docker/layout.js";
import { containerWords, nameContainer, nameNetwork, networkWords, type ContainerName, type NetworkName } from "../docker/names.js";
import { publishedPorts, type PublishedPort } from "../docker/published.js";
import { reachOf, type Reach } from "../docker/reach.js";
import { formatAddress, formatEndpoint } from "../packet/format.js";
import { formatRange } from "../ext/values.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import type { CliIO } from "./io.js";

interface PortsOptions extends HostAndRulesOptions {
  json?: boolean;
}

interface PortNames {
  readonly container?: ContainerName;
  readonly network?: NetworkName;
}

const CLIENTS: Readonly<Record<Reach["client"], string>> = { outside: "from outside", host: "from the host", containers: "from containers" };
const VERDICTS: Readonly<Record<Reach["verdict"], string>> = { yes: "yes", proxy: "via docker-proxy", no: "no", unknown: "cannot tell" };

export function registerPorts(program: Command, io: CliIO, _setExit: (code: number) => void): void {
  hostOptions(program.command("ports"))
    .description("list the ports Docker publishes and who can reach each")
    .option("--json", "print the list as JSON")
    .action(async (options: PortsOptions) => {
      const { ruleset, host, docker } = await loadHostAndRules(io, options);
      const layout = dockerLayout(ruleset, host);
      const published = publishedPorts(ruleset);
      const ports = published.map((port) => ({ port, reach: reachOf(ruleset, host, port), names: docker && portNames(docker, port) }));
      const inspectOnly = docker ? inspectOnlyPorts(docker, published, ruleset.family) : [];
      if (options.json) {
        const list = ports.map(({ port, reach, names }) => ({ ...portJson(port), ...(names && { names }), reach }));
        const unruled = docker && { inspectOnly: inspectOnly.map(inspectOnlyJson) };
        io.stdout(JSON.stringify({ docker: layout.description, ports: list, ...unruled }) + "\n");
        return;
      }
      const lines = [`rules written by ${layout.description}`];
      if (ports.length === 0) lines.push("no published ports");
      for (const { port, reach, names } of ports) {
        lines.push("", portLine(port, names));
        for (const r of reach) lines.push(`  ${CLIENTS[r.client].padEnd(16)} ${VERDICTS[r.verdict].padEnd(17)} ${r.packet ? `${r.packet}, ${r.from}: ` : ""}${r.detail}`);
      }
      if (inspectOnly.length > 0) {
        lines.push("", "docker inspect says these are published, but no DNAT rule here publishes them: docker-proxy alone serves them (where the userland proxy runs), or the rules and the inspect output are from different times");
        lines.push(...inspectOnly.map(inspectOnlyLine));
      }
      io.stdout(lines.join("\n") + "\n");
    });
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
