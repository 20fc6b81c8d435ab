/**
 * `nfwalk trace`: one packet (or a batch of them) through the host, as the
 * command-line contract specifies: exit 0 when every packet reaches a
 * destination, 1 when one is dropped or rejected, 3 when an outcome cannot
 * be known, 2 for bad input (and then nothing on stdout).
 */
import { type Command, Option } from "commander";
import {
  parsePacketSpec,
  reachedOf,
  renderReport,
  trace,
  traceCase,
  traceDot,
  traceJsonLine,
  traceMermaid,
  tracePath,
  traceTextRenderer,
  type Host,
  type Origin,
  type Packet,
  type ReportFormat,
  type ReportLocation,
  type Ruleset,
  type TestCase,
  type TraceResult,
} from "../index.js";
import { parseAssumptions } from "./assume.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import { readInput, UsageError } from "./input.js";
import { EXIT, writeOut, type CliIO } from "./io.js";
import { chosenFormat, formatOption, isReportFormat } from "./format.js";

interface TraceOptions extends HostAndRulesOptions {
  in?: string;
  local?: boolean;
  batch?: string;
  json?: boolean;
  format?: TraceFormat | ReportFormat;
  assume: string[];
  uid?: string;
  gid?: string;
  established?: boolean;
  reply?: boolean;
}

interface Job {
  readonly packet: Packet;
  readonly from: Origin;
  /** A --batch line: where it is and the PACKET it gives. */
  readonly line?: { readonly at: ReportLocation; readonly packet: string };
}

/** `FILE:LINE:1` of a --batch line, which its errors start with. */
const whereOf = (at: ReportLocation): string => `${at.file}:${at.line}:1`;

const collect = (value: string, previous: string[]) => [...previous, value];

/** What --format prints of each packet: the text, the JSON (as --json), or a diagram of the packet's path. */
const FORMATS = ["text", "json", "mermaid", "dot"] as const;
type TraceFormat = (typeof FORMATS)[number];
/** Diagrams draw one packet's path. */
const DIAGRAMS: readonly TraceFormat[] = ["mermaid", "dot"];

export function registerTrace(program: Command, io: CliIO, setExit: (code: number) => void): void {
  hostOptions(program.command("trace"))
    .description("walk a packet through the host's netfilter hooks the way the kernel does")
    .argument("[packet]", 'e.g. "tcp 10.99.0.2:40000 -> 10.99.0.1:8080 [flags SYN]"')
    .addOption(new Option("--in <iface>", "the packet arrives on this interface").conflicts(["local", "batch"]))
    .addOption(new Option("--local", "a process on the host sends the packet").conflicts(["in", "batch"]))
    .option("--batch <file>", 'one JSON object a line: {"packet": "...", "in": "eth0"} or {"packet": "...", "local": true}')
    .option("--json", "print the trace as JSON (one object a line with --batch); the same as --format json")
    .addOption(formatOption(FORMATS, "json as --json; mermaid or dot (Graphviz): a diagram of one packet's path; junit, tap, github with --batch: one test case a packet, passed when it gets there"))
    .option(
      "--assume <name=match|nomatch>",
      "decide an unknown match: by extension (limit=match) or rule line (line:12=nomatch); conntrack=on|off: whether the host tracks connections (default: as the rules need); repeatable",
      collect,
      [],
    )
    .addOption(new Option("--established", "trace a later packet of the connection PACKET starts, once both sides have spoken").conflicts("reply"))
    .addOption(new Option("--reply", "trace the reply to PACKET, with the connection's NAT undone").conflicts("established"))
    .option("--uid <n>", "owner of the sending socket for --local (-m owner)")
    .option("--gid <n>", "group of the sending socket for --local")
    .action(async (packetText: string | undefined, options: TraceOptions) => {
      const format = formatOf(options);
      const jobs = options.batch ? await batchJobs(io, options.batch) : [singleJob(packetText, options)];
      const { ruleset, host, ipsets, docker, conntrack: observed } = await loadHostAndRules(io, options, options.rules === undefined ? jobs[0]?.packet.family : undefined);
      const { assume, conntrack } = parseAssumptions(options.assume, ruleset, observed);
      const socket = socketOf(options);
      for (const job of jobs) checkJob(job, ruleset, host);
      const connection = options.reply ? "reply" : options.established ? "established" : "first";
      const outcomes = new Set<boolean | undefined>();
      // Each trace is made when it is printed: a batch's traces are never all in memory at once.
      const traced = function* () {
        for (const job of jobs) {
          const result = trace(ruleset, host, job.packet, { from: job.from, assume, connection, ...(conntrack && { conntrack }), ...(socket && { socket }), ...(ipsets && { ipsets }) });
          outcomes.add(reachedOf(result));
          yield { job, result };
        }
      };
      if (isReportFormat(format)) {
        io.stdout(batchReport(format, options.batch!, traced(), traceTextRenderer(ruleset, host, { ...(docker && { docker }) })));
      } else {
        const print = printer(format, ruleset, () => traceTextRenderer(ruleset, host, { colour: io.colour, ...(docker && { docker }) }), jobs.length > 1 ? "\n" : "");
        const printed = function* () {
          for (const { result } of traced()) yield print(result);
        };
        await writeOut(io, printed());
      }
      setExit(exitCode(outcomes));
    });
}

function formatOf(options: TraceOptions): TraceFormat | ReportFormat {
  const format = chosenFormat(options);
  if (options.batch !== undefined && DIAGRAMS.includes(format as TraceFormat))
    throw new UsageError(`--format ${format} draws one packet's path and cannot be used with --batch: trace the packet alone`);
  if (options.batch === undefined && isReportFormat(format))
    throw new UsageError(`--format ${format} reports a --batch run, one test case a packet: give --batch FILE (one packet prints as text or json)`);
  return format;
}

/** A batch as a test run: one case a line, named by its number, PACKET and origin; a case that did not pass carries its trace. */
function batchReport(format: ReportFormat, file: string, traced: Iterable<{ job: Job; result: TraceResult }>, text: (result: TraceResult) => string): string {
  const cases: TestCase[] = [];
  for (const { job, result } of traced) {
    const line = job.line!;
    const origin = "local" in job.from ? "sent by the host" : `arriving on ${job.from.interface}`;
    cases.push(traceCase(result, `line ${line.at.line}: ${line.packet} (${origin})`, line.at, () => text(result)));
  }
  return renderReport(format, { name: "nfwalk trace --batch", suites: [{ name: file, cases }] });
}

function printer(format: TraceFormat, ruleset: Ruleset, textRenderer: () => (result: TraceResult) => string, separator: string): (result: TraceResult) => string {
  switch (format) {
    case "json":
      return (result) => traceJsonLine(result) + "\n";
    case "mermaid":
      return (result) => traceMermaid(tracePath(result, ruleset));
    case "dot":
      return (result) => traceDot(tracePath(result, ruleset));
    case "text": {
      const text = textRenderer();
      return (result) => text(result) + separator;
    }
  }
}

/** 3 only when a packet's outcome depends on what nfwalk cannot know: branches that all get there (or all stop) decide it. */
function exitCode(reached: ReadonlySet<boolean | undefined>): number {
  if (reached.has(undefined)) return EXIT.undetermined;
  if (reached.has(false)) return EXIT.failed;
  return EXIT.ok;
}

function singleJob(packetText: string | undefined, options: TraceOptions): Job {
  if (packetText === undefined) throw new UsageError('trace needs a PACKET, e.g. "tcp 10.0.0.2:40000 -> 10.0.0.1:80", or --batch FILE');
  if (!options.in && !options.local) throw new UsageError("say where the packet comes from: --in IFACE (it arrives there) or --local (a host process sends it)");
  const parsed = parsePacketSpec(packetText);
  if (!parsed.ok) throw new UsageError(`bad PACKET "${packetText}": ${parsed.message}`);
  return { packet: parsed.packet, from: options.local ? { local: true } : { interface: options.in! } };
}

/** Reads the whole batch before tracing anything, so a bad line prints nothing on stdout. */
async function batchJobs(io: CliIO, path: string): Promise<Job[]> {
  const source = await readInput(io, path, "batch");
  const jobs: Job[] = [];
  source.text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const at = { file: path, line: i + 1 };
    const where = whereOf(at);
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${where}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { packet, in: iface, local } = (entry ?? {}) as { packet?: unknown; in?: unknown; local?: unknown };
    if (typeof packet !== "string") throw new UsageError(`${where}: "packet" must be a string such as "tcp 10.0.0.2:40000 -> 10.0.0.1:80"`);
    if ((typeof iface === "string") === (local === true)) throw new UsageError(`${where}: give exactly one of "in": "IFACE" and "local": true`);
    const parsed = parsePacketSpec(packet);
    if (!parsed.ok) throw new UsageError(`${where}: bad packet "${packet}": ${parsed.message}`);
    jobs.push({ packet: parsed.packet, from: local === true ? { local: true } : { interface: iface as string }, line: { at, packet } });
  });
  return jobs;
}

function checkJob(job: Job, ruleset: Ruleset, host: Host): void {
  const at = job.line === undefined ? "" : `${whereOf(job.line.at)}: `;
  if (job.packet.family !== ruleset.family) {
    throw new UsageError(`${at}the packet is ${job.packet.family} but ${ruleset.file} is an ${ruleset.family === "ipv4" ? "iptables" : "ip6tables"} dump`);
  }
  const from = job.from;
  if ("interface" in from && !host.interfaces.some((i) => i.name === from.interface)) {
    const known = host.interfaces.map((i) => i.name).join(", ");
    throw new UsageError(`${at}${job.line === undefined ? "--in" : '"in":'} ${from.interface}: the host has no such interface (it has ${known})`);
  }
}

function socketOf(options: TraceOptions): { uid: number; gid: number } | undefined {
  if (options.uid === undefined && options.gid === undefined) return undefined;
  const id = (text: string | undefined, flag: string) => {
    if (text === undefined) return 0;
    if (!/^[0-9]+$/.test(text)) throw new UsageError(`${flag} takes a number, not "${text}"`);
    return Number(text);
  };
  return { uid: id(options.uid, "--uid"), gid: id(options.gid, "--gid") };
}
