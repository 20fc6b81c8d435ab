/**
 * GitHub Actions workflow commands
 * (https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands):
 * one `::error` / `::warning` / `::notice` line per case that did not pass or has a notice, with the file,
 * line and column it points at, so the pull request shows it on that line. A failure has
 * its own severity, a case that could not be checked is an error, an undetermined one a
 * warning, a passing case's notice a notice. A last plain line counts the cases.
 */
import { tally, type TestCase, type TestRun } from "./types.js";

/** The run as GitHub Actions workflow commands: an annotation a case that did not pass, then a count. */
export function githubReport(run: TestRun): string {
  const cases = run.suites.flatMap((s) => s.cases);
  const t = tally(cases);
  // It starts with a digit: never a command, whatever the run's name.
  const summary = `${t.pass} passed, ${t.fail} failed, ${t.undetermined} undetermined${t.error > 0 ? `, ${t.error} not checked` : ""} (${data(run.name)})`;
  return [...cases.flatMap(command), summary].join("\n") + "\n";
}

function command(c: TestCase): string[] {
  if (c.status === "pass" && c.notice === undefined) return [];
  const level = c.status === "pass" ? "notice" : c.status === "fail" ? c.severity : c.status === "error" ? "error" : "warning";
  const title = c.status === "undetermined" ? `undetermined: ${c.name}` : c.name;
  const place = c.location === undefined ? [] : [`file=${property(c.location.file)}`, `line=${c.location.line}`, ...(c.location.column === undefined ? [] : [`col=${c.location.column}`])];
  const said = c.status === "pass" ? c.notice! : c.message;
  const message = c.details === undefined ? said : `${said}\n\n${c.details}`;
  return [`::${level} ${[...place, `title=${property(title)}`].join(",")}::${data(message)}`];
}

/** The message: `%`, CR and LF escaped, as @actions/core's escapeData does. */
const data = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/** A property value: as the message, and `:` and `,` too, which separate properties (escapeProperty). */
const property = (s: string): string => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
