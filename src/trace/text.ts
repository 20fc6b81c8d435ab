/**
 * The trace for a person: one line a step, with the hook, `table:chain #n`,
 * the rule's line in the dump and its text, what NAT and targets changed,
 * and the outcome in words. Colour only when writing to a terminal.
 */
import { formatRule } from "../ruleset/save.js";
import type { Ruleset } from "../ruleset/types.js";
import { describePacket } from "../packet/format.js";
import type { Packet } from "../packet/packet.js";
import type { Branch, Step, Trace } from "../engine/types.js";

const TCP_FLAG_NAMES = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"];

interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly good: (s: string) => string;
  readonly bad: (s: string) => string;
  readonly odd: (s: string) => string;
}

const plain: Paint = { bold: (s) => s, dim: (s) => s, good: (s) => s, bad: (s) => s, odd: (s) => s };
const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const colour: Paint = { bold: ansi(1), dim: ansi(2), good: ansi(32), bad: ansi(31), odd: ansi(33) };

export function packetSummary(packet: Packet): string {
  const t = packet.transport;
  const name = t.kind === "other" ? `proto ${packet.protocol}` : t.kind;
  const extra =
    t.kind === "tcp" ? ` [${TCP_FLAG_NAMES.filter((_, i) => t.flags & (1 << i)).join(",") || "no flags"}]` : t.kind === "icmp" || t.kind === "icmpv6" ? ` [type ${t.type} code ${t.code}]` : "";
  return `${name} ${describePacket(packet)}${extra}`;
}

export function traceText(trace: Trace, ruleset: Ruleset, useColour: boolean): string {
  const p = useColour ? colour : plain;
  const from = "local" in trace.ingress ? "sent by a local process" : `arriving on ${trace.ingress.interface}`;
  const lines = [`${p.bold("packet")}   ${packetSummary(trace.packet)}, ${from}`, ""];
  const several = trace.branches.length > 1;
  if (several) {
    trace.branches.forEach((branch, i) => {
      const chance = branch.probability === undefined ? "" : ` (probability ${formatProbability(branch.probability)})`;
      lines.push(p.bold(`branch ${i + 1} of ${trace.branches.length}${chance}`));
      lines.push(...branch.steps.map((s) => "  " + stepText(s, ruleset, p)));
      lines.push(`  ${p.dim("→")} ${outcomeText(branch, p)}`, "");
    });
  } else {
    lines.push(...trace.steps.map((s) => "  " + stepText(s, ruleset, p)), "");
  }
  lines.push(`${p.bold("outcome")}  ${outcomeText(trace, p)}`);
  return lines.join("\n") + "\n";
}

function formatProbability(p: number): string {
  return `${Math.round(p * 10000) / 100}%`;
}

function outcomeText(end: Pick<Branch, "outcome" | "reason" | "egress" | "delivered" | "randomPorts">, p: Paint): string {
  const paint = end.outcome === "dropped" || end.outcome === "rejected" ? p.bad : end.outcome === "undetermined" ? p.odd : p.good;
  const random = (end.randomPorts ?? []).map((f) => (f === "sport" ? "source" : "destination"));
  const randomNote = random.length > 0 ? ` (the ${random.join(" and ")} port chosen at random)` : "";
  const packet = end.egress?.packet ?? end.delivered?.packet;
  const header = packet ? ` as ${packetSummary(packet)}${randomNote}` : "";
  return `${paint(end.outcome)}: ${end.reason}${header}`;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s + " " : s + " ".repeat(width - s.length);
}

function stepText(step: Step, ruleset: Ruleset, p: Paint): string {
  switch (step.type) {
    case "rule": {
      const rule = ruleset.tablesByName.get(step.table)?.chainsByName.get(step.chain)?.rules[step.rule - 1];
      const text = rule ? formatRule(rule, ruleset.family) : "";
      return `${pad(step.hook, 12)}${pad(`${step.table}:${step.chain} #${step.rule}`, 28)}${p.dim(pad(`line ${step.line}`, 11))}${text}`;
    }
    case "policy":
      return `${pad(step.hook, 12)}${pad(`${step.table}:${step.chain}`, 28)}${p.dim(pad("policy", 11))}${step.policy === "DROP" ? p.bad("DROP") : step.policy}`;
    case "unknown": {
      const chance = step.probability === undefined ? "" : `, probability ${formatProbability(step.probability)}`;
      const how = step.pinned ? "pinned by --assume" : "assumed";
      return `${pad(step.hook, 12)}${pad(`${step.table}:${step.chain} #${step.rule}`, 28)}${p.dim(pad(`line ${step.line}`, 11))}${p.odd(`unknown: ${step.reason}; ${how} ${step.assumed}${chance}`)}`;
    }
    case "conntrack":
      return `${pad(step.hook, 12)}${pad("conntrack", 28)}${p.dim(pad("state", 11))}${step.state}: ${step.detail}`;
    case "nat":
      return `${pad(step.hook, 12)}${pad(`nat ${step.kind}`, 28)}${p.dim(pad("rewrite", 11))}${step.before}  ⇒  ${step.after}${step.detail ? ` (${step.detail})` : ""}`;
    case "route":
      return `${pad("routing", 12)}${pad(step.decision + (step.interface ? ` via ${step.interface}` : ""), 28)}${p.dim(pad("", 11))}${step.detail}`;
    case "effect":
      return `${pad(step.hook, 12)}${pad(`${step.table}:${step.chain} #${step.rule}`, 28)}${p.dim(pad("effect", 11))}${step.detail}`;
    case "note":
      return `${pad("", 12)}${step.detail}`;
  }
}
