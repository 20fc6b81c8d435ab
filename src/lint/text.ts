/**
 * lint's findings for people: `FILE:LINE: SEVERITY CODE: message`, then the
 * rule and the rules it points to, and a count at the end.
 */
import type { LintFinding, LintReport, LintRuleRef } from "./types.js";

/** The findings as `nfwalk lint` prints them for people. */
export function lintText(report: LintReport): string {
  const out = report.findings.map(findingText);
  out.push(summary(report));
  return out.join("\n") + "\n";
}

function findingText(f: LintFinding): string {
  const place = `${f.location.file}:${f.location.line}${f.location.column === undefined ? "" : `:${f.location.column}`}`;
  return [`${place}: ${f.severity} ${f.code}: ${f.message}`, ...findingDetails(f)].join("\n");
}

/** The lines under a finding: its rule, then the rules it points to, each indented. */
export function findingDetails(f: LintFinding): string[] {
  return [...(f.rule ? [`    ${f.rule.text}`] : []), ...f.related.map((r) => `    ${relatedText(r)}`)];
}

function relatedText(r: LintRuleRef): string {
  return `line ${r.location.line}: ${r.text}`;
}

function summary(report: LintReport): string {
  const silenced = report.silenced > 0 ? ` (${report.silenced} silenced)` : "";
  if (report.findings.length === 0) return `no findings${silenced}`;
  const counts = (["error", "warning", "info"] as const)
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? "" : s === "info" ? "" : "s"}`);
  const n = report.findings.length;
  return `${n} finding${n === 1 ? "" : "s"}: ${counts.join(", ")}${silenced}`;
}
