/**
 * A trace as a Mermaid flowchart, for Markdown that renders Mermaid (GitHub, GitLab, many
 * documentation sites): the whole netfilter flow with the packet's path in colour, each
 * matched rule in its stage, NAT's rewrites on the edges.
 */
import { traceDrawing, type DrawnNode } from "./drawing.js";
import type { FlowNodeId, TracePath } from "./flow.js";
import { pathColour } from "./palette.js";

const nodeId = (id: FlowNodeId) => `n_${id.replace(/[^A-Za-z0-9]/g, "_")}`;

/**
 * Text inside a quoted Mermaid label: Mermaid reads `#…;` as an entity, a quote ends the
 * label, and labels are HTML, so these characters go as decimal entity codes.
 */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

const label = (lines: readonly string[]) => `"${lines.map(mermaidText).join("<br>")}"`;

/**
 * Draws a trace placed on the netfilter flow ({@link tracePath}) as a Mermaid flowchart.
 *
 * @returns the diagram's source, starting with its title in front matter
 */
export function traceMermaid(path: TracePath): string {
  const drawing = traceDrawing(path);
  const out = ["---", `title: ${JSON.stringify(drawing.title)}`, "---", "flowchart TB"];
  const node = (n: DrawnNode, indent: string) => out.push(`${indent}${nodeId(n.id)}[${label(n.lines)}]`);
  for (const n of drawing.nodes) node(n, "  ");
  for (const { hook, nodes } of drawing.hooks) {
    out.push(`  subgraph h_${hook}["${hook}"]`, "    direction TB");
    for (const n of nodes) node(n, "    ");
    out.push("  end");
  }
  drawing.ends.forEach((end, i) => out.push(`  n_result_${i}([${label(end.lines)}])`));
  // Edges in order: linkStyle refers to them by index.
  const linkStyles: string[] = [];
  drawing.edges.forEach((edge, i) => {
    out.push(`  ${nodeId(edge.from)} ${edge.back ? "-.->" : "-->"}${edge.lines.length > 0 ? `|${label(edge.lines)}|` : ""} ${nodeId(edge.to)}`);
    if (edge.paths.length > 0) linkStyles.push(`  linkStyle ${i} stroke:${pathColour(edge.paths[0]!)},stroke-width:3px`);
  });
  drawing.ends.forEach((end, i) => {
    out.push(`  ${nodeId(end.after)} -.-> n_result_${i}`);
    linkStyles.push(`  linkStyle ${drawing.edges.length + i} stroke:${pathColour(i)},stroke-width:3px`);
  });
  const onPath = (index: number) => [...drawing.nodes, ...drawing.hooks.flatMap((h) => h.nodes)].filter((n) => n.paths[0] === index).map((n) => nodeId(n.id));
  drawing.ends.forEach((_, i) => {
    out.push(`  classDef path${i} stroke:${pathColour(i)},stroke-width:3px`);
    out.push(`  class ${[...onPath(i), `n_result_${i}`].join(",")} path${i}`);
  });
  out.push(...linkStyles);
  return out.join("\n") + "\n";
}
