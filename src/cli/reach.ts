/**
 * `nfwalk reach` and `nfwalk diff`: answers for every packet of a set at
 * once (the contract's "Packet sets" sections). reach exits 0 once it has
 * answered; diff exits 0 when the dumps treat every packet alike, 1 when
 * they differ, 3 when they differ only where nfwalk cannot know; both exit 2
 * on bad input.
 */
import { type Command, Option } from "commander";
import {
  defaultFixed,
  diff,
  diffJson,
  diffRun,
  diffText,
  onlyUndetermined,
  packetSets,
  parsePacketSet,
  renderReport,
  reach,
  reachJson,
  reachText,
  type Host,
  type Ingress,
  type PacketQuery,
  type Ruleset,
} from "../index.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import { loadRules, UsageError } from "./input.js";
import { EXIT, type CliIO } from "./io.js";
import { chosenFormat, formatOption, isReportFormat } from "./format.js";

interface SetOptions extends HostAndRulesOptions {
  in?: string;
  local?: boolean;
  json?: boolean;
}

export function registerReach(program: Command, io: CliIO, setExit: (code: number) => void): void {
  hostOptions(program.command("reach"))
    .description("say what the host does with every packet of a set: classes by outcome and interface, each with an example")
    .argument("<packetset>", 'e.g. "tcp any -> 10.99.0.1:1-1024" or "tcp,udp 203.0.113.0/24 -> any"')
    .addOption(new Option("--in <iface>", "the packets arrive on this interface").conflicts("local"))
    .addOption(new Option("--local", "a process on the host sends the packets").conflicts("in"))
    .option("--json", "print the classes as JSON")
    .action(async (setText: string, options: SetOptions) => {
      if (!options.in && !options.local) throw new UsageError("say where the packets come from: --in IFACE (they arrive there) or --local (a host process sends them)");
      const { ruleset, host, ipsets } = await loadHostAndRules(io, options);
      const query = readQuery(setText, ruleset);
      const ingress = checkIngress(options, host);
      const classes = reach({ ruleset, host, query, ingress, ...(ipsets && { ipsets }) });
      io.stdout(options.json ? JSON.stringify(reachJson(classes)) + "\n" : reachText(classes));
      setExit(EXIT.ok);
    });
}

type DiffOptions = Omit<SetOptions, "rules"> & { format?: string };

export function registerDiff(program: Command, io: CliIO, setExit: (code: number) => void): void {
  hostOptions(program.command("diff"))
    .description("compare how two dumps treat packets on the same host: which packets change outcome, interface or NAT")
    .argument("<before>", "the iptables-save dump before the change")
    .argument("<after>", "the dump after it")
    .argument("[packetset]", "only these packets (with --in or --local); without it every packet, on every interface and sent locally")
    .addOption(new Option("--in <iface>", "only packets arriving on this interface").conflicts("local"))
    .addOption(new Option("--local", "only packets a host process sends").conflicts("in"))
    .option("--json", "print the differences as JSON (--format json)")
    .addOption(formatOption(["text", "json"], "junit, tap, github: one failed test case a difference, at the rule that changed"))
    .action(async (beforePath: string, afterPath: string, setText: string | undefined, options: DiffOptions & { rules?: string }) => {
      if (options.rules !== undefined) throw new UsageError("diff takes the two dumps as BEFORE and AFTER, not --rules");
      const format = chosenFormat(options);
      const origin = options.in !== undefined || options.local === true;
      if (setText !== undefined && !origin) throw new UsageError("a PACKETSET needs --in IFACE or --local: where the packets come from");
      if (setText === undefined && origin) throw new UsageError("--in and --local go with a PACKETSET, e.g. diff A B --in eth0 'tcp any -> any'");
      const { ruleset: before, host, ipsets } = await loadHostAndRules(io, { ...options, rules: beforePath });
      const after = (await loadRules(io, afterPath, before.family)).ruleset;
      const query: PacketQuery = setText === undefined ? { set: packetSets.EVERYTHING, fixed: defaultFixed(before.family) } : readQuery(setText, before);
      const ingresses = origin ? [checkIngress(options, host)] : undefined;
      const was = { ruleset: before, host, ...(ipsets && { ipsets }) };
      const now = { ruleset: after, host, ...(ipsets && { ipsets }) };
      const differences = diff(was, now, query, ingresses);
      if (isReportFormat(format)) io.stdout(renderReport(format, diffRun(was, now, differences)));
      else io.stdout(format === "json" ? JSON.stringify(diffJson(differences)) + "\n" : diffText(differences));
      setExit(differences.length === 0 ? EXIT.ok : onlyUndetermined(differences) ? EXIT.undetermined : EXIT.failed);
    });
}

/** The PACKETSET, of the dump's family. */
function readQuery(text: string, ruleset: Ruleset): PacketQuery {
  const parsed = parsePacketSet(text, ruleset.family);
  if (!parsed.ok) throw new UsageError(`bad PACKETSET "${text}": ${parsed.message}`);
  return parsed.query;
}

function checkIngress(options: { in?: string; local?: boolean }, host: Host): Ingress {
  if (options.local) return { kind: "local" };
  const name = options.in!;
  if (!host.interfaces.some((i) => i.name === name)) {
    throw new UsageError(`--in ${name}: the host has no such interface (it has ${host.interfaces.map((i) => i.name).join(", ")})`);
  }
  return { kind: "interface", name };
}
