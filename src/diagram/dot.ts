/**
 * A trace as a Graphviz DOT digraph (`dot -Tsvg trace.dot > trace.svg`): the whole
 * netfilter flow with the packet's path in colour, each hook a cluster, each matched rule
 * in its stage, NAT's rewrites on the edges.
 */
import { traceDrawing, type DrawnNode } from "./drawing.js";
import type { TracePath } from "./flow.js";
import { pathColour } from "./palette.js";

/** Text inside a DOT double-quoted string: a backslash and a quote escaped with a backslash. */
const dotEscaped = (text: string) => text.replace(/[\\"]/g, (c) => `\\${c}`);

/** A DOT double-quoted string. */
export function dotString(text: string): string {
  return `"${dotEscaped(text)}"`;
}

/** A label: the first line centred, the steps under it left-aligned (`\l`). */
function dotLabel(lines: readonly string[]): string {
  const [name = "", ...rest] = lines.map(dotEscaped);
  return `"${name}${rest.length > 0 ? `\\n${rest.map((line) => `${line}\\l`).join("")}` : ""}"`;
}

const colours = (paths: readonly number[]) => dotString(paths.map(pathColour).join(":"));

/**
 * Draws a trace placed on the netfilter flow ({@link tracePath}) as a Graphviz DOT digraph.
 *
 * @returns the digraph's source
 */
export function traceDot(path: TracePath): string {
  const drawing = traceDrawing(path);
  const out = [
    "digraph nfwalk {",
    `  graph [label=${dotString(drawing.title)}, labelloc=t, fontname="Helvetica"];`,
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const node = (n: DrawnNode, indent: string) => {
    const style = n.paths.length > 0 ? `, color=${colours(n.paths.slice(0, 1))}, penwidth=3` : "";
    out.push(`${indent}${dotString(n.id)} [label=${dotLabel(n.lines)}${style}];`);
  };
  for (const n of drawing.nodes) node(n, "  ");
  for (const { hook, nodes } of drawing.hooks) {
    out.push(`  subgraph ${dotString(`cluster_${hook}`)} {`, `    label=${dotString(hook)};`);
    for (const n of nodes) node(n, "    ");
    out.push("  }");
  }
  for (const edge of drawing.edges) {
    const attributes = [
      ...(edge.back ? ["constraint=false", "style=dashed"] : []),
      ...(edge.lines.length > 0 ? [`label=${dotLabel(edge.lines)}`] : []),
      ...(edge.paths.length > 0 ? [`color=${colours(edge.paths)}`, "penwidth=3"] : []),
    ];
    out.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${attributes.length > 0 ? ` [${attributes.join(", ")}]` : ""};`);
  }
  drawing.ends.forEach((end, i) => {
    const id = dotString(`result ${i + 1}`);
    out.push(`  ${id} [shape=ellipse, style="", label=${dotLabel(end.lines)}, color=${colours([i])}, penwidth=3];`);
    out.push(`  ${dotString(end.after)} -> ${id} [style=dashed, color=${colours([i])}, penwidth=3];`);
  });
  out.push("}");
  return out.join("\n") + "\n";
}
