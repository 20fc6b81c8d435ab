/**
 * The netfilter flow as a graph, and a trace's path drawn on it: the model
 * behind `nfwalk trace --format mermaid|dot` and the playground's diagram.
 *
 * The graph is the kernel's pipeline: a packet arriving on an interface
 * meets PREROUTING, the input routing decision, then INPUT (for this host)
 * or FORWARD; a local process's packet is routed, meets OUTPUT, and both
 * leave through POSTROUTING. Each hook holds its stages (tables and
 * conntrack) in the kernel's priority order (model/hook-order.ts, the
 * order the engine walks). A packet routed to this host goes out through
 * lo and comes back in.
 *
 * The path is the trace's steps placed on that graph, nothing re-derived:
 * each step goes to the node it happened at, and the nodes the packet
 * passed between two steps (a hook whose tables had nothing to say) are
 * the graph's way from one to the other.
 */
import type { Step } from "../engine/types.js";
import { HOOK_STAGES, stagePriority, type HookStage } from "../model/hook-order.js";
import { HOOKS, type Family, type Hook } from "../model/types.js";
import { formatRule } from "../ruleset/save.js";
import type { Ruleset } from "../ruleset/types.js";
import type { DeliveredJson, EgressJson, TraceJson } from "../trace/json.js";

/** A stage's node: `PREROUTING.raw`, `OUTPUT.conntrack`, … */
export type StageNodeId = `${Hook}.${HookStage}`;

/** Where a packet can be in the host: an interface, a hook's stage, a routing decision, the local process. */
export type FlowNodeId = "in" | "out" | "local" | "routing-input" | "routing-output" | StageNodeId;

/** A node of the netfilter flow, with the words a diagram shows for it. */
export type FlowNode =
  /** A network interface the packet arrives on (`in`) or leaves by (`out`). */
  | { readonly kind: "interface"; readonly id: "in" | "out"; readonly label: string }
  /** A process on the host: where delivered packets go and sent packets come from. */
  | { readonly kind: "local"; readonly id: "local"; readonly label: string }
  /** A routing decision: for an arriving packet (this host or forward), for a locally sent one (which interface). */
  | { readonly kind: "routing"; readonly id: "routing-input" | "routing-output"; readonly label: string }
  /** A table's chain at a hook, or conntrack giving the packet its entry; `priority` is the kernel's (lower runs first). */
  | { readonly kind: "stage"; readonly id: StageNodeId; readonly hook: Hook; readonly stage: HookStage; readonly priority: number; readonly label: string };

export type StageNode = Extract<FlowNode, { kind: "stage" }>;

/** A way from one node to the next; `label` says when the packet takes it (a routing decision's answers, lo). */
export interface FlowEdge {
  readonly from: FlowNodeId;
  readonly to: FlowNodeId;
  readonly label?: string;
  /** The way back to the start (out through lo and in again): a diagram draws the flow without it, then adds it. */
  readonly back?: true;
}

/** The netfilter pipeline of one family: its hooks with their stages in kernel order, and every node and edge. */
export interface NetfilterFlow {
  readonly family: Family;
  /** The hooks in the kernel's order (NF_INET_PRE_ROUTING first), each with its stages in priority order. */
  readonly hooks: readonly { readonly hook: Hook; readonly stages: readonly StageNode[] }[];
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

const stageId = (hook: Hook, stage: HookStage): StageNodeId => `${hook}.${stage}`;

function firstStage(hook: Hook): StageNodeId {
  return stageId(hook, HOOK_STAGES[hook][0]!);
}

function lastStage(hook: Hook): StageNodeId {
  return stageId(hook, HOOK_STAGES[hook].at(-1)!);
}

/** Edges through a hook's stages, one to the next. */
function throughHook(hook: Hook): FlowEdge[] {
  const stages = HOOK_STAGES[hook];
  return stages.slice(1).map((stage, i) => ({ from: stageId(hook, stages[i]!), to: stageId(hook, stage) }));
}

/**
 * The netfilter flow of a family: interfaces, the five hooks with their tables and
 * conntrack in the kernel's priority order, the routing decisions and the local process.
 * The same graph for IPv4 and IPv6 (ip6tables has the same tables at the same priorities).
 */
export function netfilterFlow(family: Family): NetfilterFlow {
  const hooks = HOOKS.map((hook) => ({
    hook,
    stages: HOOK_STAGES[hook].map((stage): StageNode => ({ kind: "stage", id: stageId(hook, stage), hook, stage, priority: stagePriority(stage, hook), label: stage })),
  }));
  const nodes: FlowNode[] = [
    { kind: "interface", id: "in", label: "network interface (in)" },
    { kind: "routing", id: "routing-input", label: "routing decision" },
    { kind: "local", id: "local", label: "local process" },
    { kind: "routing", id: "routing-output", label: "routing decision" },
    { kind: "interface", id: "out", label: "network interface (out)" },
    ...hooks.flatMap((h) => h.stages),
  ];
  const edges: FlowEdge[] = [
    { from: "in", to: firstStage("PREROUTING") },
    ...throughHook("PREROUTING"),
    { from: lastStage("PREROUTING"), to: "routing-input" },
    { from: "routing-input", to: firstStage("INPUT"), label: "for this host" },
    { from: "routing-input", to: firstStage("FORWARD"), label: "to forward" },
    ...throughHook("INPUT"),
    { from: lastStage("INPUT"), to: "local" },
    ...throughHook("FORWARD"),
    { from: lastStage("FORWARD"), to: firstStage("POSTROUTING") },
    { from: "local", to: "routing-output" },
    { from: "routing-output", to: firstStage("OUTPUT") },
    ...throughHook("OUTPUT"),
    { from: lastStage("OUTPUT"), to: firstStage("POSTROUTING") },
    ...throughHook("POSTROUTING"),
    { from: lastStage("POSTROUTING"), to: "out" },
    { from: "out", to: "in", label: "lo: routed to this host", back: true },
  ];
  return { family, hooks, nodes, edges };
}

/** A node the packet passes; at an interface, which one. */
export interface PathVisit {
  readonly node: FlowNodeId;
  readonly interface?: string;
}

/** The rule a step is about, as the dump has it. */
export interface PathRule {
  readonly file: string;
  readonly line: number;
  /** The rule as iptables-save prints it. */
  readonly text: string;
}

/** One step of the trace, placed on the graph. */
export interface PathStep {
  /** The node where it happened. */
  readonly node: FlowNodeId;
  /** Index of that node's visit in {@link FlowPath.visits} (a node can be passed twice, through lo). */
  readonly visit: number;
  /** The trace's step as `trace --json` prints it: table, chain, rule number and line, target or policy, NAT's header before and after, conntrack's state. */
  readonly step: Step;
  /** The rule of a rule, unknown or effect step. */
  readonly rule?: PathRule;
}

/** How a course of the packet ends. */
export type PathEnd = Pick<TraceJson, "outcome" | "reason"> & { readonly egress?: EgressJson; readonly delivered?: DeliveredJson };

/** One course of the packet through the flow. */
export interface FlowPath {
  /** Every node the packet passes, in order, including those where nothing happened to it. */
  readonly visits: readonly PathVisit[];
  readonly steps: readonly PathStep[];
  readonly end: PathEnd;
  /** The chance of this course, when a random choice decides it. */
  readonly probability?: number;
}

/** A trace's paths on the flow: one, or one a branch when unknown matches split it. */
export interface TracePath {
  readonly flow: NetfilterFlow;
  /** The packet as it came in. */
  readonly packet: TraceJson["packet"];
  readonly ingress: TraceJson["ingress"];
  readonly paths: readonly FlowPath[];
}

/**
 * Places a trace on the netfilter flow of its family.
 *
 * @param result - what {@link trace} returned (or `trace --json` printed)
 * @param ruleset - the rules it was traced through: their family's flow, and each matched rule's text, file and line
 */
export function tracePath(result: TraceJson, ruleset: Ruleset): TracePath {
  const flow = netfilterFlow(ruleset.family);
  const courses = result.branches ?? [{ ...result, probability: undefined }];
  const paths = courses.map((course) => {
    const end: PathEnd = { outcome: course.outcome, reason: course.reason, ...(course.egress && { egress: course.egress }), ...(course.delivered && { delivered: course.delivered }) };
    return {
      ...placeSteps(flow, result.ingress, course.steps, end, ruleset),
      ...(course.probability !== undefined && { probability: course.probability }),
    };
  });
  return { flow, packet: result.packet, ingress: result.ingress, paths };
}

function placeSteps(flow: NetfilterFlow, ingress: TraceJson["ingress"], steps: readonly Step[], end: PathEnd, ruleset: Ruleset): Omit<FlowPath, "probability"> {
  const visits: PathVisit[] = ["local" in ingress ? { node: "local" } : { node: "in", interface: ingress.interface }];
  const moveTo = (target: FlowNodeId) => {
    const from = visits.at(-1)!.node;
    if (target === from) return;
    // Passing an interface on the way is lo: a packet routed to this host leaves and comes back through it.
    for (const node of wayBetween(flow, from, target)) visits.push(node === "in" || node === "out" ? { node, interface: "lo" } : { node });
  };
  const placed = steps.map((step): PathStep => {
    moveTo(nodeOf(step, visits.at(-1)!.node, flow));
    const rule = "rule" in step ? ruleOf(ruleset, step) : undefined;
    return { node: visits.at(-1)!.node, visit: visits.length - 1, step, ...(rule && { rule }) };
  });
  if (end.delivered) moveTo("local");
  if (end.egress) {
    moveTo("out");
    visits[visits.length - 1] = { node: "out", interface: end.egress.interface };
  }
  return { visits, steps: placed, end };
}

/** The node a step happened at, given where the packet is. */
function nodeOf(step: Step, at: FlowNodeId, flow: NetfilterFlow): FlowNodeId {
  switch (step.type) {
    case "rule":
    case "policy":
    case "unknown":
    case "effect":
      return stageId(step.hook, step.table);
    case "conntrack":
      return stageId(step.hook, "conntrack");
    case "nat":
      return stageId(step.hook, "nat");
    case "note":
      return at;
    case "route":
      // Before PREROUTING: the IP layer refused the packet on receipt. In OUTPUT: mangle's or nat's
      // hook function routes the packet again after changing it (ip_route_me_harder). Otherwise the next decision on the way.
      if (at === "in" || at.startsWith("OUTPUT.")) return at;
      return nearestRouting(flow, at);
  }
}

function nearestRouting(flow: NetfilterFlow, from: FlowNodeId): FlowNodeId {
  const routing = breadthFirst(flow, from).find((node) => node === "routing-input" || node === "routing-output");
  if (routing === undefined) throw new Error(`no routing decision after ${from}`);
  return routing;
}

/** Nodes reachable from `from`, nearest first. */
function breadthFirst(flow: NetfilterFlow, from: FlowNodeId): FlowNodeId[] {
  return [...shortestWays(flow, from).keys()];
}

/** The shortest way from each reachable node back to `from`: node → the node before it. */
function shortestWays(flow: NetfilterFlow, from: FlowNodeId): Map<FlowNodeId, FlowNodeId | undefined> {
  const before = new Map<FlowNodeId, FlowNodeId | undefined>([[from, undefined]]);
  const queue = [from];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const edge of flow.edges) {
      if (edge.from !== node || before.has(edge.to)) continue;
      before.set(edge.to, node);
      queue.push(edge.to);
    }
  }
  return before;
}

/** The nodes after `from` up to and including `to`, along the graph's shortest way. */
function wayBetween(flow: NetfilterFlow, from: FlowNodeId, to: FlowNodeId): FlowNodeId[] {
  const before = shortestWays(flow, from);
  if (!before.has(to)) throw new Error(`the flow has no way from ${from} to ${to}`);
  const way: FlowNodeId[] = [];
  for (let node: FlowNodeId | undefined = to; node !== undefined && node !== from; node = before.get(node)) way.unshift(node);
  return way;
}

function ruleOf(ruleset: Ruleset, step: Extract<Step, { rule: number }>): PathRule | undefined {
  const rule = ruleset.tablesByName.get(step.table)?.chainsByName.get(step.chain)?.rules[step.rule - 1];
  return rule && { file: ruleset.file, line: rule.line, text: formatRule(rule, ruleset.family) };
}
