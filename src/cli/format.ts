/**
 * `--format`: a command's own outputs (text for people, its JSON) and the report formats
 * CI systems read (JUnit XML, TAP 14, GitHub Actions commands). `--json` stays what it
 * was, the same as `--format json`.
 */
import { Option } from "commander";
import { REPORT_FORMATS, type ReportFormat } from "../index.js";
import { UsageError } from "./input.js";

/** The `--format` option of a command whose own outputs are `own`, the report formats after them. */
export function formatOption(own: readonly string[], reports: string): Option {
  return new Option("--format <format>", `what to print: ${[...own, ...REPORT_FORMATS].join(", ")} (${reports})`).choices([...own, ...REPORT_FORMATS]);
}

/** The format asked for: `--format`, or json for `--json`, or text. */
export function chosenFormat<F extends string>(options: { readonly format?: F; readonly json?: boolean }): F | "json" | "text" {
  if (options.json === true && options.format !== undefined && options.format !== "json") throw new UsageError(`--json and --format ${options.format} ask for two formats: give one`);
  return options.format ?? (options.json === true ? "json" : "text");
}

export function isReportFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}
