import { githubReport } from "./github.js";
import { junitReport } from "./junit.js";
import { tapReport } from "./tap.js";
import type { TestRun } from "./types.js";

const RENDERERS = { junit: junitReport, tap: tapReport, github: githubReport } as const;

/** The machine formats every checking command offers beside its own text and JSON. */
export type ReportFormat = keyof typeof RENDERERS;
/** The names `--format` takes for them. */
export const REPORT_FORMATS = Object.keys(RENDERERS) as readonly ReportFormat[];

/** The run in one of the machine formats. */
export function renderReport(format: ReportFormat, run: TestRun): string {
  return RENDERERS[format](run);
}
