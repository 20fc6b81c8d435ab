/**
 * `nfwalk ports`: every port Docker publishes (from its DNAT rules), where it
 * leads, and whether a client outside, the host itself and other containers
 * reach it — each decided by tracing a packet with the engine.
 */
import { Command } from "commander";
import { dockerLayout } from "../docker/layout.js";
import { publishedPorts, type PublishedPort } from "../docker/published.js";
import { reachOf, type Reach } from "../docker/reach.js";
import { formatAddress, formatEndpoint } from "../packet/format.js";
import { formatRange } from "../ext/values.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import type { CliIO } from "./io.js";

interface PortsOptions extends HostAndRulesOptions {
  json?: boolean;
}

const CLIENTS: Readonly<Record<Reach["client"], string>> = { outside: "from outside", host: "from the host", containers: "from containers" };
const VERDICTS: Readonly<Record<Reach["verdict"], string>> = { yes: "yes", proxy: "via docker-proxy", no: "no", unknown: "cannot tell" };

export function registerPorts(program: Command, io: CliIO, _setExit: (code: number) => void): void {
  hostOptions(program.command("ports"))
    .description("list the ports Docker publishes and who can reach each")
    .option("--json", "print the list as JSON")
    .action(async (options: PortsOptions) => {
      const { ruleset, host } = await loadHostAndRules(io, options);
      const layout = dockerLayout(ruleset, host);
      const ports = publishedPorts(ruleset).map((port) => ({ port, reach: reachOf(ruleset, host, port) }));
      if (options.json) {
        io.stdout(JSON.stringify({ docker: layout.description, ports: ports.map(({ port, reach }) => ({ ...portJson(port), reach })) }) + "\n");
        return;
      }
      const lines = [`rules written by ${layout.description}`];
      if (ports.length === 0) lines.push("no published ports");
      for (const { port, reach } of ports) {
        lines.push("", portLine(port));
        for (const r of reach) lines.push(`  ${CLIENTS[r.client].padEnd(16)} ${VERDICTS[r.verdict].padEnd(17)} ${r.packet ? `${r.packet}, ${r.from}: ` : ""}${r.detail}`);
      }
      io.stdout(lines.join("\n") + "\n");
    });
}

function hostSide(port: PublishedPort): string {
  return `${port.hostAddress ? formatAddress(port.hostAddress) : "*"}:${formatRange(port.hostPort, "-")}`;
}

function portLine(port: PublishedPort): string {
  const on = port.bridge ? ` on ${port.bridge}` : "";
  return `${port.protocol} ${hostSide(port)} -> ${formatEndpoint(port.container.address, port.container.port)}${on}  (${port.rule.table} ${port.rule.chain} line ${port.rule.line})`;
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
