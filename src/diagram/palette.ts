/** The colour of each path of a diagram (a trace with unknown matches has several), the same in Mermaid and DOT. */
const PATH_COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

export function pathColour(index: number): string {
  return PATH_COLOURS[index % PATH_COLOURS.length]!;
}
