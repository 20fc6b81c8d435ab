/**
 * `nfwalk why`: the trace of one packet, answered in plain words — reached or
 * not, the step that decided, the rule that would have changed it and which of
 * its conditions failed, Docker's trap behind it and a fix. Exit codes as
 * `trace`: 0 reached, 1 dropped or rejected, 3 undetermined, 2 bad input.
 */
import { type Command, Option } from "commander";
import { parsePacketSpec, why, whyText, withSourcePort, type Origin } from "../index.js";
import { parseAssumptions } from "./assume.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import { UsageError } from "./input.js";
import { EXIT, type CliIO } from "./io.js";

interface WhyOptions extends HostAndRulesOptions {
  in?: string;
  local?: boolean;
  json?: boolean;
  assume: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerWhy(program: Command, io: CliIO, setExit: (code: number) => void): void {
  hostOptions(program.command("why"))
    .description("say in plain words whether a packet gets through, what decides it, and what would change it")
    .argument("<packet>", 'e.g. "tcp 203.0.113.7 -> 10.0.0.5:8080" (the source port defaults to 40000)')
    .addOption(new Option("--in <iface>", "the packet arrives on this interface (default: where the host routes its source)").conflicts("local"))
    .addOption(new Option("--local", "a process on the host sends the packet (default when the source is the host's)").conflicts("in"))
    .option("--json", "print the answer as JSON")
    .option("--assume <name=match|nomatch>", "decide an unknown match or conntrack=on|off, as for trace (repeatable)", collect, [])
    .action(async (packetText: string, options: WhyOptions) => {
      const parsed = parsePacketSpec(withSourcePort(packetText));
      if (!parsed.ok) throw new UsageError(`bad PACKET "${packetText}": ${parsed.message}`);
      const packet = parsed.packet;
      const { ruleset, host, ipsets, docker, conntrack: observed } = await loadHostAndRules(io, options, options.rules === undefined ? packet.family : undefined);
      if (packet.family !== ruleset.family) throw new UsageError(`the packet is ${packet.family} but ${ruleset.file} is an ${ruleset.family === "ipv4" ? "iptables" : "ip6tables"} dump`);
      let from: Origin | undefined;
      if (options.local) from = { local: true };
      else if (options.in) {
        if (!host.interfaces.some((i) => i.name === options.in)) throw new UsageError(`--in ${options.in}: the host has no such interface (it has ${host.interfaces.map((i) => i.name).join(", ")})`);
        from = { interface: options.in };
      }
      const { assume, conntrack } = parseAssumptions(options.assume, ruleset, observed);
      const result = why(ruleset, host, packet, { assume, ...(conntrack && { conntrack }), ...(from && { from }), ...(ipsets && { ipsets }), ...(docker && { docker }) });
      if (!result.ok) throw new UsageError(result.message);
      const answer = result.answer;
      io.stdout(options.json ? JSON.stringify(answer) + "\n" : whyText(answer));
      setExit(answer.reached === undefined ? EXIT.undetermined : answer.reached ? EXIT.ok : EXIT.failed);
    });
}
