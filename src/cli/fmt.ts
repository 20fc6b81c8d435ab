import type { Command } from "commander";
import { writeRuleset } from "../model/save.js";
import type { Family } from "../model/types.js";
import { loadRules } from "./input.js";
import { EXIT, type CliIO } from "./io.js";

export function registerFmt(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("fmt")
    .description("print a dump in iptables-save's canonical form (what iptables-save prints after iptables-restore)")
    .argument("<file>", "iptables-save or ip6tables-save dump, - for standard input")
    .option("-4, --ipv4", "read the dump as iptables-save output")
    .option("-6, --ipv6", "read the dump as ip6tables-save output")
    .option("--no-counters", "leave out [packets:bytes] counters")
    .action(async (file: string, options: { ipv4?: boolean; ipv6?: boolean; counters: boolean }) => {
      const family: Family | undefined = options.ipv6 ? "ipv6" : options.ipv4 ? "ipv4" : undefined;
      const { ruleset } = await loadRules(io, file, family);
      // In pieces: a dump of 100k+ rules is never one string in memory.
      writeRuleset(ruleset, io.stdout, { counters: options.counters });
      setExit(EXIT.ok);
    });
}
