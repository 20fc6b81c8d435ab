/**
 * What a diagram of a trace shows, before any diagram syntax: the flow's
 * nodes grouped by hook, each with its name and a line for every step there
 * (the rule that matched with its line, a policy, conntrack's state, a
 * routing decision), the edges with NAT's rewrites as labels, which paths
 * pass each node and edge, and how each path ends. The Mermaid and DOT
 * renderers only spell this out in their syntax, so both draw the same.
 */
import type { Step } from "../engine/types.js";
import type { Hook } from "../model/types.js";
import type { PacketJson } from "../trace/json.js";
import type { FlowNode, FlowNodeId, FlowPath, PathStep, TracePath } from "./flow.js";

export interface DrawnNode {
  readonly id: FlowNodeId;
  /** The name, then one line a step that happened here. */
  readonly lines: readonly string[];
  /** The paths (indexes into {@link Drawing.ends}) that pass it. */
  readonly paths: readonly number[];
}

export interface DrawnEdge {
  readonly from: FlowNodeId;
  readonly to: FlowNodeId;
  /** When the packet takes it, and the rewrites NAT made just before it. */
  readonly lines: readonly string[];
  readonly paths: readonly number[];
  /** Back to the start: drawn without pulling the layout (lo). */
  readonly back: boolean;
}

/** How one path ends, drawn as a last node after the path's last node. */
export interface DrawnEnd {
  readonly after: FlowNodeId;
  readonly lines: readonly string[];
}

export interface Drawing {
  /** The packet and where it comes from. */
  readonly title: string;
  /** Nodes outside the hooks: interfaces, routing decisions, the local process. */
  readonly nodes: readonly DrawnNode[];
  /** Each hook with its stages in kernel order. */
  readonly hooks: readonly { readonly hook: Hook; readonly nodes: readonly DrawnNode[] }[];
  readonly edges: readonly DrawnEdge[];
  /** One a path: where and how it ends. */
  readonly ends: readonly DrawnEnd[];
}

/** The packet as `trace` prints headers: `tcp 10.0.0.2:40000 -> 10.0.0.1:80`. */
function packetText(packet: PacketJson): string {
  const endpoint = (address: string, port: number | null | undefined) => {
    if (port === undefined) return address;
    const host = address.includes(":") ? `[${address}]` : address;
    return `${host}:${port ?? "random"}`;
  };
  return `${packet.proto} ${endpoint(packet.src, packet.sport)} -> ${endpoint(packet.dst, packet.dport)}`;
}

function stepLines(placed: PathStep): string[] {
  const { step, rule } = placed;
  const quoted = rule ? `line ${rule.line}: ${rule.text}` : "";
  switch (step.type) {
    case "rule":
      return [quoted];
    case "policy":
      return [`${step.chain} policy ${step.policy}`];
    case "unknown":
      return [quoted, `unknown (${step.reason}): assumed ${step.assumed}${step.probability === undefined ? "" : `, probability ${percent(step.probability)}`}`];
    case "effect":
      return [`line ${rule?.line ?? "?"}: ${step.detail}`];
    case "conntrack":
      return [`state ${step.state}`];
    case "route":
      return [step.decision === "drop" ? `drop: ${step.detail}` : `${step.decision} via ${step.interface}`];
    case "nat":
      return natLines(step);
    case "note":
      return [step.detail];
  }
}

function natLines(step: Extract<Step, { type: "nat" }>): string[] {
  return [`${step.kind.toUpperCase()} ${step.before}`, `⇒ ${step.after}`];
}

function percent(p: number): string {
  return `${Math.round(p * 10000) / 100}%`;
}

const edgeKey = (from: FlowNodeId, to: FlowNodeId) => `${from} ${to}`;

/** Lines added once: a step shared by several branches is shown once. */
class Lines {
  private readonly byKey = new Map<string, string[]>();
  add(key: string, lines: readonly string[]): void {
    const list = this.byKey.get(key) ?? [];
    for (const line of lines) if (!list.includes(line)) list.push(line);
    this.byKey.set(key, list);
  }
  get(key: string): readonly string[] {
    return this.byKey.get(key) ?? [];
  }
}

/** What a diagram of the trace shows (see the module's comment). */
export function traceDrawing(path: TracePath): Drawing {
  const nodeLines = new Lines();
  const edgeLines = new Lines();
  const interfaces = new Lines();
  const nodePaths = new Map<FlowNodeId, number[]>();
  const edgePaths = new Map<string, number[]>();
  const mark = <K>(map: Map<K, number[]>, key: K, index: number) => {
    const list = map.get(key) ?? [];
    if (!list.includes(index)) list.push(index);
    map.set(key, list);
  };
  path.paths.forEach((course, index) => {
    course.visits.forEach((visit, i) => {
      mark(nodePaths, visit.node, index);
      if (visit.interface !== undefined) interfaces.add(visit.node, [visit.interface]);
      const next = course.visits[i + 1];
      if (next) mark(edgePaths, edgeKey(visit.node, next.node), index);
    });
    for (const placed of course.steps) {
      const next = course.visits[placed.visit + 1];
      // A rewrite labels the way the packet leaves with its new header; where it goes no further, its node.
      if (placed.step.type === "nat" && next) edgeLines.add(edgeKey(placed.node, next.node), stepLines(placed));
      else nodeLines.add(placed.node, stepLines(placed));
    }
  });
  const drawn = (node: FlowNode): DrawnNode => {
    const names = interfaces.get(node.id);
    const name = names.length > 0 ? `${node.id}: ${names.join(", ")}` : node.label;
    return { id: node.id, lines: [name, ...nodeLines.get(node.id)], paths: nodePaths.get(node.id) ?? [] };
  };
  const from = "local" in path.ingress ? "sent by a local process" : `arriving on ${path.ingress.interface}`;
  return {
    title: `${packetText(path.packet)}, ${from}`,
    nodes: path.flow.nodes.filter((n) => n.kind !== "stage").map(drawn),
    hooks: path.flow.hooks.map((h) => ({ hook: h.hook, nodes: h.stages.map(drawn) })),
    edges: path.flow.edges.map((e) => {
      const key = edgeKey(e.from, e.to);
      return { from: e.from, to: e.to, back: e.back === true, lines: [...(e.label === undefined ? [] : [e.label]), ...edgeLines.get(key)], paths: edgePaths.get(key) ?? [] };
    }),
    ends: path.paths.map((course, index) => ({ after: course.visits.at(-1)!.node, lines: endLines(course, index, path.paths.length) })),
  };
}

function endLines(course: FlowPath, index: number, count: number): string[] {
  const { end, probability } = course;
  const header = end.egress?.packet ?? end.delivered?.packet;
  const chance = probability === undefined ? "" : ` (probability ${percent(probability)})`;
  return [...(count > 1 ? [`branch ${index + 1} of ${count}${chance}`] : []), `${end.outcome}: ${end.reason}`, ...(header ? [`as ${packetText(header)}`] : [])];
}
