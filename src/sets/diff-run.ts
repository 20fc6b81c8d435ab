/**
 * `nfwalk diff` as a test run for CI reporters: one case a difference, failed (as a warning:
 * a change of treatment is what a reviewer must look at, not always a mistake), or
 * undetermined where one of the dumps leaves the packets to what nfwalk cannot know (diff's
 * exit 3). A case points at the rule that changed for its example when the traces show it:
 * the first rule or policy the example meets with the AFTER dump and not with BEFORE (so a
 * pull request's annotation lands on the changed line), else the first it meets only with
 * BEFORE. No difference at all is one passing case.
 */
import { tracePacket, type Ingress } from "../engine/pipeline.js";
import type { Step } from "../engine/types.js";
import { parsePacketSpec } from "../packet/spec.js";
import type { Packet } from "../packet/packet.js";
import type { ReportLocation, TestCase, TestRun } from "../report/index.js";
import { formatRule } from "../ruleset/save.js";
import type { HostQuery, Difference } from "./answer.js";
import { differenceBody, differenceHeading, treatmentText } from "./report.js";

/** A rule or policy a packet met: how it reads (the same in both dumps when unchanged), and where it is. */
interface Met {
  readonly text: string;
  readonly location: ReportLocation;
}

/** The differences of `before` and `after` (what {@link diff} found for them) as a test run. */
export function diffRun(before: HostQuery, after: HostQuery, differences: readonly Difference[]): TestRun {
  const name = `${before.ruleset.file} → ${after.ruleset.file}`;
  const cases = differences.length === 0 ? [alike(after)] : differences.map((d) => differenceCase(d, before, after));
  return { name: "nfwalk diff", suites: [{ name, cases }] };
}

function alike(after: HostQuery): TestCase {
  return { name: "the two dumps treat every packet alike", status: "pass", location: { file: after.ruleset.file, line: 1 } };
}

function differenceCase(d: Difference, before: HostQuery, after: HostQuery): TestCase {
  const parsed = parsePacketSpec(d.example);
  if (!parsed.ok) throw new Error(`diff wrote an example trace cannot read: ${d.example} (${parsed.message})`);
  const was = metBy(before, parsed.packet, d.ingress);
  const now = metBy(after, parsed.packet, d.ingress);
  const onlyAfter = now.filter((m) => !was.some((w) => w.text === m.text));
  const onlyBefore = was.filter((w) => !now.some((m) => m.text === w.text));
  const rules = [...metLines("only with AFTER", onlyAfter), ...metLines("only with BEFORE", onlyBefore)];
  const location = (onlyAfter[0] ?? onlyBefore[0])?.location;
  const message = `${d.example}: ${treatmentText(d.before, d.family)} before, ${treatmentText(d.after, d.family)} after`;
  const undetermined = d.before.outcome === "undetermined" || d.after.outcome === "undetermined";
  return {
    name: differenceHeading(d),
    ...(undetermined ? { status: "undetermined" as const, message } : { status: "fail" as const, severity: "warning" as const, message }),
    ...(location && { location }),
    details: differenceBody(d) + rules.join(""),
  };
}

function metLines(heading: string, met: readonly Met[]): string[] {
  if (met.length === 0) return [];
  return [`  the example meets ${heading}:\n`, ...met.map((m) => `    ${m.location.file}:${m.location.line}: ${m.text}\n`)];
}

/** The rules and policies the packet meets on every way it may go, each once, in order. */
function metBy(query: HostQuery, packet: Packet, ingress: Ingress): Met[] {
  const { ruleset, host, ipsets } = query;
  const trace = tracePacket({ ruleset, host, packet, ingress, ...(ipsets && { ipsets }) });
  const met = new Map<string, Met>();
  for (const step of trace.branches.flatMap((b) => b.steps)) {
    const m = metStep(query, step);
    if (m !== undefined && !met.has(m.text)) met.set(m.text, m);
  }
  return [...met.values()];
}

function metStep({ ruleset }: HostQuery, step: Step): Met | undefined {
  if (step.type !== "rule" && step.type !== "unknown" && step.type !== "policy") return undefined;
  const chain = ruleset.tablesByName.get(step.table)?.chainsByName.get(step.chain);
  if (chain === undefined) return undefined;
  if (step.type === "policy") {
    // A built-in chain the dump never declared has no line to point at.
    return chain.line === null ? undefined : { text: `*${step.table} :${step.chain} ${step.policy}`, location: { file: ruleset.file, line: chain.line } };
  }
  const rule = chain.rules[step.rule - 1];
  return rule === undefined ? undefined : { text: `*${step.table} ${formatRule(rule, ruleset.family)}`, location: { file: ruleset.file, line: rule.line } };
}
