/**
 * `nfwalk check EXPECTATIONS.yaml`: decides every expectation of the file for
 * every packet of its set. Exit 0 when all hold, 1 when one fails, 3 when
 * none fails but one cannot be decided, 2 for bad input (positioned in the
 * YAML file, or in the file it names).
 */
import type { Command } from "commander";
import {
  check,
  checkJson,
  checkStatus,
  checkTestRun,
  checkText,
  error,
  renderReport,
  renderDiagnostic,
  type CheckStatus,
  type Diagnostic,
  type Expectation,
  type Host,
  type SourceSpan,
  type SourceText,
} from "../index.js";
import type { CheckFile, FilePackets } from "./check-file.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import { loadRules, printDiagnostics, readInput, UsageError } from "./input.js";
import { EXIT, type CliIO } from "./io.js";
import { chosenFormat, formatOption, isReportFormat } from "./format.js";

interface CheckOptions extends HostAndRulesOptions {
  readonly before?: string;
  readonly json?: boolean;
  readonly format?: string;
}

const EXIT_OF: Readonly<Record<CheckStatus, number>> = { pass: EXIT.ok, fail: EXIT.failed, undetermined: EXIT.undetermined };

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  hostOptions(program.command("check"))
    .description("decide the expectations of a YAML file for every packet of their sets: exit 0 all hold, 1 one fails, 3 only undetermined")
    .argument("<expectations>", 'a YAML file naming the rules, the host and the expectations (README, "Use in CI"); host flags override its host')
    .option("--before <file>", "the BEFORE dump for every no-change expectation (overrides the file's `before:`)")
    .option("--json", "print the report as JSON (--format json)")
    .addOption(formatOption(["text", "json"], "junit, tap, github: one test case an expectation at its line in the YAML file"))
    .action(async (path: string, options: CheckOptions) => {
      const format = chosenFormat(options);
      const source = await readInput(io, path, "expectations");
      // Evaluated here, not at startup: the YAML reader is a fifth of the command's code, which every other command would run for nothing.
      const { expectationsIn, readCheckFile } = await import("./check-file.js");
      const parsed = readCheckFile(source.text, path);
      if (!parsed.ok) refuse(io, parsed.diagnostics, source);
      const file = parsed.value;
      const inputs = new FileInputs(io, file, source);
      const merged = mergedOptions(file, options);
      if (merged.rules === undefined && merged.host === undefined) {
        refuse(io, [error("check-no-rules", 'say which rules: "rules: FILE" (an iptables-save dump) or "host: snapshot: FILE", or --rules/--host', file.span)], source);
      }
      // The family is the dump's, as reach and diff read it; the file's packets are read in it.
      const { ruleset, host, ipsets } = await inputs.named(() => loadHostAndRules(inputs.io, merged));
      checkInterfaces(io, file, host, source);
      const read = expectationsIn(file, ruleset);
      if (!read.ok) refuse(io, read.diagnostics, source);
      const expectations: Expectation[] = [];
      for (const e of read.value) {
        if (e.kind === "outcome") {
          expectations.push(e);
          continue;
        }
        const beforePath = options.before ?? e.before?.value;
        if (beforePath === undefined) refuse(io, [error("check-no-before", 'a no-change expectation needs "before: FILE" (the dump before the change), or --before FILE', e.span)], source);
        const before = await inputs.named(() => loadRules(inputs.io, beforePath, ruleset.family));
        expectations.push({ kind: "no-change", name: e.name, where: e.where, before: before.ruleset, ...(e.packets && { packets: e.packets }), allow: e.allow });
      }
      const report = check({ ruleset, host, ...(ipsets && { ipsets }), expectations, hostFlags: hostFlags(merged), rulesFlags: merged.rules === undefined ? [] : ["--rules", merged.rules] });
      // A fleet's jobs check one file against each host's snapshot: the suite says which host.
      if (isReportFormat(format)) io.stdout(renderReport(format, checkTestRun(report, merged.host === undefined ? path : `${path} on ${merged.host}`)));
      else io.stdout(format === "json" ? JSON.stringify(checkJson(report)) + "\n" : checkText(report));
      setExit(EXIT_OF[checkStatus(report)]);
    });
}

function refuse(io: CliIO, diagnostics: readonly Diagnostic[], source: SourceText): never {
  printDiagnostics(io, diagnostics, source);
  const count = diagnostics.length;
  throw new UsageError(`${source.name}: ${count} error${count === 1 ? "" : "s"}; nothing was checked`);
}

/** The file's host and rules, with the command's flags over them (sysctls add up, the flags' last). */
function mergedOptions(file: CheckFile, options: CheckOptions): HostAndRulesOptions {
  const pick = (flag: string | undefined, fromFile: { value: string } | undefined) => flag ?? fromFile?.value;
  const { host } = file;
  const entries = {
    rules: pick(options.rules, file.rules),
    host: pick(options.host, host.snapshot),
    addr: pick(options.addr, host.addr),
    route: pick(options.route, host.route),
    ipset: pick(options.ipset, host.ipset),
    dockerInspect: options.dockerInspect,
    dockerNetworks: options.dockerNetworks,
  };
  const defined = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
  return { ...defined, sysctl: [...host.sysctl, ...options.sysctl] };
}

/** The host as trace's flags, for the trace commands printed with counter-examples. */
function hostFlags(options: HostAndRulesOptions): string[] {
  const flag = (name: string, value: string | undefined) => (value === undefined ? [] : [name, value]);
  return [...flag("--host", options.host), ...flag("--addr", options.addr), ...flag("--route", options.route), ...options.sysctl.flatMap((s) => ["--sysctl", s]), ...flag("--ipset", options.ipset)];
}

/** Every `in:` of the file must name an interface of the host. */
function checkInterfaces(io: CliIO, file: CheckFile, host: Host, source: SourceText): void {
  const names = new Set(host.interfaces.map((i) => i.name));
  const origins: { ingress?: FilePackets["ingress"]; ingressSpan?: SourceSpan }[] = file.expectations.flatMap((e) => [...(e.packets ? [e.packets] : []), ...(e.kind === "no-change" ? e.allow : [])]);
  const unknown = origins.flatMap(({ ingress, ingressSpan }) =>
    ingress?.kind === "interface" && !names.has(ingress.name) ? [error("check-unknown-interface", `the host has no interface "${ingress.name}" (it has ${[...names].join(", ")})`, ingressSpan)] : [],
  );
  if (unknown.length > 0) refuse(io, unknown, source);
}

/**
 * Files the YAML names are read through this: when one cannot be read or loaded, the
 * error is also said at the line of the YAML file that names it.
 */
class FileInputs {
  readonly io: CliIO;
  private last: string | undefined;
  private readonly places = new Map<string, SourceSpan>();

  constructor(
    outer: CliIO,
    file: CheckFile,
    private readonly source: SourceText,
  ) {
    const { rules, host } = file;
    for (const named of [rules, host.snapshot, host.addr, host.route, host.ipset, ...file.expectations.map((e) => (e.kind === "no-change" ? e.before : undefined))]) {
      if (named) this.places.set(named.value, named.span);
    }
    this.io = {
      ...outer,
      readFile: (path, maxBytes) => {
        this.last = path;
        return outer.readFile(path, maxBytes);
      },
      readPieces: (path, maxBytes) => {
        this.last = path;
        return outer.readPieces(path, maxBytes);
      },
    };
  }

  /** Runs a load; a refusal of the last file read is placed at the YAML node that names it. */
  async named<T>(load: () => Promise<T>): Promise<T> {
    this.last = undefined;
    try {
      return await load();
    } catch (e) {
      const span = this.last === undefined ? undefined : this.places.get(this.last);
      if (!(e instanceof UsageError) || span === undefined) throw e;
      this.io.stderr(renderDiagnostic(error("check-input", e.message || `${this.last}: cannot be used`, span), this.source) + "\n");
      throw new UsageError("");
    }
  }
}
