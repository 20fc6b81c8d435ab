/**
 * `nfwalk ports`: every port Docker publishes (from its DNAT rules), where it
 * leads, and whether a client outside, the host itself and other containers
 * reach it — each decided by tracing a packet with the engine.
 */
import type { Command } from "commander";
import { dockerPorts, portsJson, portsText } from "../index.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import type { CliIO } from "./io.js";

interface PortsOptions extends HostAndRulesOptions {
  json?: boolean;
}

export function registerPorts(program: Command, io: CliIO, _setExit: (code: number) => void): void {
  hostOptions(program.command("ports"))
    .description("list the ports Docker publishes and who can reach each")
    .option("--json", "print the list as JSON")
    .action(async (options: PortsOptions) => {
      const { ruleset, host, docker } = await loadHostAndRules(io, options);
      const report = dockerPorts(ruleset, host, docker);
      io.stdout(options.json ? JSON.stringify(portsJson(report)) + "\n" : portsText(report));
    });
}
