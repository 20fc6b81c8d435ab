/**
 * The netfilter flow as an SVG of our own: the graph of the public API's `netfilterFlow`
 * (hooks with their tables and conntrack in kernel order, the routing decisions, the local
 * process, the interfaces) laid out as the classic packet-flow picture, with the path of
 * `tracePath` drawn on it and the current step's stage marked.
 */
import type { FlowNodeId, FlowPath, Hook, NetfilterFlow } from "../../src/index.ts";

const SVG = "http://www.w3.org/2000/svg";

/** Where each hook's box stands (its stages stack below its title), and the other nodes' boxes. */
const HOOK_AT: Readonly<Record<Hook, { x: number; y: number }>> = {
  PREROUTING: { x: 112, y: 34 },
  FORWARD: { x: 428, y: 34 },
  POSTROUTING: { x: 564, y: 34 },
  INPUT: { x: 242, y: 212 },
  OUTPUT: { x: 564, y: 212 },
};
const HOOK_WIDTH = 112;
const TITLE = 22;
const STAGE = 21;
const GAP = 4;
const PAD = 6;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const OTHER_AT: Readonly<Record<Exclude<FlowNodeId, `${Hook}.${string}`>, Box>> = {
  in: { x: 8, y: 76, w: 84, h: 44 },
  "routing-input": { x: 236, y: 72, w: 124, h: 52 },
  out: { x: 696, y: 51, w: 84, h: 44 },
  local: { x: 400, y: 262, w: 100, h: 44 },
  "routing-output": { x: 400, y: 330, w: 100, h: 48 },
};

const DIAGRAM_SIZE = { width: 788, height: 396 };

export interface DrawnFlow {
  readonly svg: SVGSVGElement;
  /** Marks the path (every node passed, and the ways between them), the current node, and the interfaces' names. */
  show(path: FlowPath | undefined, current: FlowNodeId | undefined): void;
}

/** Draws the flow once; `onPick` is called with a node the reader clicks. */
export function drawFlow(flow: NetfilterFlow, onPick: (node: FlowNodeId) => void): DrawnFlow {
  const svg = el("svg", { viewBox: `0 0 ${DIAGRAM_SIZE.width} ${DIAGRAM_SIZE.height}`, role: "img", "aria-label": "the netfilter flow with the packet's path", class: "flow" });
  const boxes = new Map<FlowNodeId, Box>();
  const hookBoxes = new Map<Hook, Box>();
  for (const { hook, stages } of flow.hooks) {
    const at = HOOK_AT[hook];
    const box = { x: at.x, y: at.y, w: HOOK_WIDTH, h: TITLE + stages.length * (STAGE + GAP) + PAD };
    hookBoxes.set(hook, box);
    stages.forEach((stage, i) => boxes.set(stage.id, { x: box.x + PAD, y: box.y + TITLE + i * (STAGE + GAP), w: box.w - 2 * PAD, h: STAGE }));
  }
  for (const [id, box] of Object.entries(OTHER_AT)) boxes.set(id as FlowNodeId, box);

  const defs = el("defs", {});
  defs.append(arrowHead("arrow", "flow-arrow"), arrowHead("arrow-on", "flow-arrow on"));
  svg.append(defs);

  // Edges first, under the boxes. Inside a hook the stages simply follow one another; between groups a connector is drawn.
  const edgeShapes = new Map<string, SVGElement>();
  const labels: SVGTextElement[] = [];
  const groupOf = (id: FlowNodeId) => (id.includes(".") ? (id.split(".")[0] as Hook) : id);
  const groupBox = (id: FlowNodeId): Box => (id.includes(".") ? hookBoxes.get(id.split(".")[0] as Hook)! : boxes.get(id)!);
  for (const edge of flow.edges) {
    const inside = groupOf(edge.from) === groupOf(edge.to);
    const points = inside ? stageLink(boxes.get(edge.from)!, boxes.get(edge.to)!) : connector(edge.from, edge.to, groupBox(edge.from), groupBox(edge.to));
    const line = el("polyline", { points: points.map((p) => p.join(",")).join(" "), class: inside ? "flow-edge inside" : "flow-edge", "marker-end": inside ? "" : "url(#arrow)" });
    edgeShapes.set(`${edge.from}>${edge.to}`, line);
    svg.append(line);
    if (edge.label) {
      const { x, y, anchor } = labelAt(points);
      labels.push(el("text", { x, y, style: `text-anchor: ${anchor}`, class: "flow-edge-label" }, edge.label));
    }
  }

  for (const { hook } of flow.hooks) {
    const box = hookBoxes.get(hook)!;
    svg.append(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, rx: 8, class: "flow-hook" }), el("text", { x: box.x + box.w / 2, y: box.y + 15, class: "flow-hook-title" }, hook));
  }
  const nodeShapes = new Map<FlowNodeId, SVGGElement>();
  const interfaceLabels = new Map<"in" | "out", SVGTextElement>();
  for (const node of flow.nodes) {
    const box = boxes.get(node.id)!;
    const group = el("g", { class: `flow-node flow-${node.kind}`, "data-node": node.id, tabindex: -1 });
    const cx = box.x + box.w / 2;
    const cy = box.y + box.h / 2;
    if (node.kind === "routing") {
      group.append(el("polygon", { points: `${cx},${box.y} ${box.x + box.w},${cy} ${cx},${box.y + box.h} ${box.x},${cy}` }));
      group.append(el("text", { x: cx, y: cy - 2 }, "routing"), el("text", { x: cx, y: cy + 10 }, "decision"));
    } else if (node.kind === "stage") {
      group.append(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, rx: 5 }), el("text", { x: cx, y: cy + 4 }, node.label));
    } else {
      group.append(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, rx: 8 }));
      if (node.kind === "interface") {
        group.append(el("text", { x: cx, y: cy - 3, class: "flow-small" }, node.id === "in" ? "arrives on" : "leaves by"));
        const name = el("text", { x: cx, y: cy + 12, class: "flow-iface" }, "interface");
        interfaceLabels.set(node.id, name);
        group.append(name);
      } else group.append(el("text", { x: cx, y: cy - 2 }, "local"), el("text", { x: cx, y: cy + 11 }, "process"));
    }
    group.addEventListener("click", () => onPick(node.id));
    nodeShapes.set(node.id, group);
    svg.append(group);
  }
  svg.append(...labels);

  return {
    svg,
    show(path, current) {
      for (const shape of [...nodeShapes.values(), ...edgeShapes.values()]) shape.classList.remove("on", "current", "end");
      for (const shape of edgeShapes.values()) if (!shape.classList.contains("inside")) shape.setAttribute("marker-end", "url(#arrow)");
      interfaceLabels.get("in")!.textContent = "interface";
      interfaceLabels.get("out")!.textContent = "interface";
      if (path === undefined) return;
      path.visits.forEach((visit, i) => {
        nodeShapes.get(visit.node)?.classList.add("on");
        if (visit.interface && (visit.node === "in" || visit.node === "out")) interfaceLabels.get(visit.node)!.textContent = visit.interface;
        const before = path.visits[i - 1];
        const edge = before && edgeShapes.get(`${before.node}>${visit.node}`);
        if (edge === undefined) return;
        edge.classList.add("on");
        if (!edge.classList.contains("inside")) edge.setAttribute("marker-end", "url(#arrow-on)");
      });
      const last = path.visits.at(-1);
      if (last && !["delivered", "forwarded", "sent"].includes(path.end.outcome)) nodeShapes.get(last.node)?.classList.add("end");
      if (current) nodeShapes.get(current)?.classList.add("current");
    },
  };
}

type Point = readonly [number, number];

/** Between two stages of one hook: a short line from one pill to the next. */
function stageLink(from: Box, to: Box): Point[] {
  const x = from.x + from.w / 2;
  return [
    [x, from.y + from.h],
    [x, to.y],
  ];
}

/** Between two groups: out of the side facing the other one, with right angles. */
function connector(fromId: FlowNodeId, toId: FlowNodeId, a: Box, b: Box): Point[] {
  if (fromId === "out" && toId === "in") {
    // lo: a packet the host routes to itself leaves by lo and arrives on it again, drawn over the top.
    const top = 6;
    return [
      [a.x + a.w / 2, a.y],
      [a.x + a.w / 2, top],
      [b.x + b.w / 2, top],
      [b.x + b.w / 2, b.y],
    ];
  }
  const ax = a.x + a.w / 2;
  if (b.x >= a.x + a.w) {
    // To the right: across from the source's middle, bent halfway when the target's box is not at that height.
    const y = a.y + a.h / 2;
    const y2 = Math.max(b.y + 10, Math.min(b.y + b.h - 10, y));
    const mid = (a.x + a.w + b.x) / 2;
    return y === y2
      ? [
          [a.x + a.w, y],
          [b.x, y2],
        ]
      : [
          [a.x + a.w, y],
          [mid, y],
          [mid, y2],
          [b.x, y2],
        ];
  }
  if (b.y >= a.y + a.h) {
    // Below: down from the source's bottom.
    const x = Math.max(b.x + 12, Math.min(b.x + b.w - 12, ax));
    return [
      [x, a.y + a.h],
      [x, b.y],
    ];
  }
  if (b.y + b.h <= a.y) {
    // Above: up from the source's top.
    const x = Math.max(b.x + 12, Math.min(b.x + b.w - 12, ax));
    return [
      [x, a.y],
      [x, b.y + b.h],
    ];
  }
  // To the left: across at the source's middle.
  return [
    [a.x, a.y + a.h / 2],
    [b.x + b.w, a.y + a.h / 2],
  ];
}

/** Beside the longest segment of a connector. */
function labelAt(points: readonly Point[]): { x: number; y: number; anchor: "start" | "middle" } {
  const segments = points.slice(1).map((b, i) => [points[i]!, b] as const);
  const length = ([a, b]: readonly [Point, Point]) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]);
  const [a, b] = segments.reduce((longest, segment) => (length(segment) > length(longest) ? segment : longest));
  const vertical = a[0] === b[0];
  // Beside a vertical segment; above a horizontal one, or below it at the diagram's top edge.
  if (vertical) return { x: a[0] + 6, y: (a[1] + b[1]) / 2 + 4, anchor: "start" };
  return { x: (a[0] + b[0]) / 2, y: a[1] < 20 ? a[1] + 13 : a[1] - 6, anchor: "middle" };
}

function arrowHead(id: string, cls: string): SVGMarkerElement {
  const marker = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(el("path", { d: "M0,0 L10,5 L0,10 z", class: cls }));
  return marker;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== "") element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}
