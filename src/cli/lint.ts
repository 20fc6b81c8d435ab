/**
 * `nfwalk lint RULES`: exact findings about a ruleset, each with a stable code
 * (README, "nfwalk lint"). Exit 1 when an error or a warning is found, 0 when
 * none is (info findings are printed but pass), 2 on bad input.
 */
import type { Command } from "commander";
import { isLintCode, lint, LINT_CODES, lintRun, lintText, renderReport, type LintCode } from "../index.js";
import { hostOptions, loadHostAndRules, type HostAndRulesOptions } from "./host-input.js";
import { UsageError } from "./input.js";
import { EXIT, type CliIO } from "./io.js";
import { chosenFormat, formatOption, isReportFormat } from "./format.js";

interface LintCliOptions extends HostAndRulesOptions {
  ignore: string[];
  json?: boolean;
  format?: string;
}

export function registerLint(program: Command, io: CliIO, setExit: (code: number) => void): void {
  hostOptions(program.command("lint"))
    .description("find rules that never match or change nothing, unused chains, jumps to empty chains and Docker's traps")
    .argument("[rules]", "the iptables-save dump (or --host SNAPSHOT)")
    .option("--ignore <code>", "do not report this code, e.g. NF103 (repeatable)", (code: string, codes: string[]) => [...codes, code], [])
    .option("--json", "print the findings as JSON (--format json)")
    .addOption(formatOption(["text", "json"], "junit, tap, github: one test case a finding at its line, failed for errors and warnings, a notice for info"))
    .action(async (rulesPath: string | undefined, options: LintCliOptions) => {
      if (rulesPath !== undefined && options.rules !== undefined) throw new UsageError("give the rules once: as RULES or as --rules FILE");
      const format = chosenFormat(options);
      const ignore = options.ignore.map(readCode);
      const { ruleset, host, ipsets, docker, conntrack } = await loadHostAndRules(io, { ...options, ...(rulesPath !== undefined && { rules: rulesPath }) });
      const report = lint(ruleset, { host, ignore, ...(ipsets && { ipsets }), ...(docker && { docker }), ...(conntrack && { conntrack }) });
      if (isReportFormat(format)) io.stdout(renderReport(format, lintRun(report, ruleset.file)));
      else io.stdout(format === "json" ? JSON.stringify(report) + "\n" : lintText(report));
      setExit(report.findings.some((f) => f.severity !== "info") ? EXIT.failed : EXIT.ok);
    });
}

function readCode(code: string): LintCode {
  if (!isLintCode(code)) throw new UsageError(`--ignore ${code}: no such finding code (the codes are ${Object.keys(LINT_CODES).join(", ")})`);
  return code;
}
