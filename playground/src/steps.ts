/**
 * A trace's steps in words, as the page lists them: where each happens (hook, table, chain),
 * what it says, and the dump line it stands on, for linking to the editor.
 */
import type { PacketJson, Step } from "../../src/index.ts";

export interface StepView {
  /** The hook or stage the step happens at, or "routing". */
  readonly where: string;
  /** table:chain #rule, "conntrack", "nat dnat", … */
  readonly what: string;
  /** What happened, in words. */
  readonly words: string;
  /** The 1-based line of the rule (or the chain's policy) in the dump, when the step stands on one. */
  readonly line: number | undefined;
  /** Data attributes for the tests: the step as the JSON contract has it. */
  readonly data: Readonly<Record<string, string | number>>;
}

/** Finds the line of a built-in chain's declaration (`:INPUT DROP [0:0]`) in its table, where its policy is. */
function policyLine(rules: string, table: string, chain: string): number | undefined {
  const lines = rules.split("\n");
  let inTable = false;
  for (const [i, line] of lines.entries()) {
    if (line.startsWith("*")) inTable = line.slice(1).trim() === table;
    else if (inTable && line.startsWith(`:${chain} `)) return i + 1;
  }
  return undefined;
}

export function stepView(step: Step, rules: string, ruleText: (line: number) => string | undefined): StepView {
  switch (step.type) {
    case "rule":
      return {
        where: step.hook,
        what: `${step.table}:${step.chain} #${step.rule}`,
        words: ruleText(step.line) ?? `rule ${step.rule}${step.target ? ` → ${step.target}` : ""}`,
        line: step.line,
        data: { type: "rule", hook: step.hook, table: step.table, chain: step.chain, rule: step.rule, line: step.line, target: step.target ?? "" },
      };
    case "policy":
      return {
        where: step.hook,
        what: `${step.table}:${step.chain}`,
        words: `no rule decided: the chain's policy ${step.policy}`,
        line: policyLine(rules, step.table, step.chain),
        data: { type: "policy", hook: step.hook, table: step.table, chain: step.chain, policy: step.policy },
      };
    case "unknown":
      return {
        where: step.hook,
        what: `${step.table}:${step.chain} #${step.rule}`,
        words: `cannot be decided (${step.reason}): this branch assumes ${step.assumed}${step.probability === undefined ? "" : `, probability ${formatChance(step.probability)}`}`,
        line: step.line,
        data: { type: "unknown", hook: step.hook, table: step.table, chain: step.chain, rule: step.rule, line: step.line },
      };
    case "conntrack":
      return { where: step.hook, what: "conntrack", words: `state ${step.state}: ${step.detail}`, line: undefined, data: { type: "conntrack", hook: step.hook, state: step.state } };
    case "nat":
      return {
        where: step.hook,
        what: `nat ${step.kind}`,
        words: `${step.before}  ⇒  ${step.after}${step.detail ? ` (${step.detail})` : ""}`,
        line: undefined,
        data: { type: "nat", hook: step.hook, kind: step.kind, before: step.before, after: step.after },
      };
    case "route":
      return {
        where: "routing",
        what: `${step.decision}${step.interface ? ` via ${step.interface}` : ""}`,
        words: step.detail,
        line: undefined,
        data: { type: "route", decision: step.decision, interface: step.interface ?? "" },
      };
    case "effect":
      return { where: step.hook, what: `${step.table}:${step.chain} #${step.rule}`, words: step.detail, line: undefined, data: { type: "effect", hook: step.hook } };
    case "note":
      return { where: "", what: "note", words: step.detail, line: undefined, data: { type: "note" } };
  }
}

export function formatChance(p: number): string {
  return `${Math.round(p * 10000) / 100}%`;
}

/** A header as the trace prints it: `tcp 10.99.0.2:40000 -> 172.17.0.2:80`. */
export function headerText(p: PacketJson): string {
  const end = (address: string, port: number | null | undefined) => {
    const a = address.includes(":") ? `[${address}]` : address;
    return port === undefined ? address : `${a}:${port === null ? "(random)" : port}`;
  };
  const icmp = p.type === undefined ? "" : ` type ${p.type}${p.code ? ` code ${p.code}` : ""}`;
  return `${p.proto} ${end(p.src, p.sport)} -> ${end(p.dst, p.dport)}${icmp}`;
}
