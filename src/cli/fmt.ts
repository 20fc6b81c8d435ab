import type { Command } from "commander";
import { rulesetLines, type Family } from "../index.js";
import { loadSnapshot, snapshotRules } from "./host-input.js";
import { loadRules, UsageError } from "./input.js";
import { EXIT, writeOut, type CliIO } from "./io.js";

interface FmtOptions {
  ipv4?: boolean;
  ipv6?: boolean;
  counters: boolean;
  host?: string;
}

export function registerFmt(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("fmt")
    .description("print a dump in iptables-save's canonical form (what iptables-save prints after iptables-restore)")
    .argument("[file]", "iptables-save or ip6tables-save dump, - for standard input")
    .option("-4, --ipv4", "read the dump as iptables-save output")
    .option("-6, --ipv6", "read the dump as ip6tables-save output (with --host: print the snapshot's ip6tables-save)")
    .option("--no-counters", "leave out [packets:bytes] counters")
    .option("--host <file>", "print the iptables-save output a snapshot (`nfwalk snapshot`) holds")
    .action(async (file: string | undefined, options: FmtOptions) => {
      const family: Family | undefined = options.ipv6 ? "ipv6" : options.ipv4 ? "ipv4" : undefined;
      if ((file === undefined) === (options.host === undefined)) throw new UsageError("fmt takes a dump FILE or --host SNAPSHOT, one of them");
      const ruleset = options.host !== undefined ? snapshotRules(io, await loadSnapshot(io, options.host), family ?? "ipv4") : (await loadRules(io, file!, family)).ruleset;
      await writeOut(io, rulesetLines(ruleset, { counters: options.counters }));
      setExit(EXIT.ok);
    });
}
