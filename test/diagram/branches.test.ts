/**
 * A trace that forks on a match nfwalk cannot decide draws every branch: each path in its
 * own colour, ways both take in both colours, and how each ends with its probability.
 */
import { describe, expect, test } from "vitest";
import { defaultHost, parsePacketSpec, parseRuleset, trace, traceDot, traceMermaid, tracePath } from "../../src/index.js";
import { pathColour } from "../../src/diagram/palette.js";

const dump = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m statistic --mode random --probability 0.25 -j DROP\nCOMMIT\n";

function forked() {
  const rules = parseRuleset(dump, { file: "coin.v4" });
  if (!rules.ok) throw new Error(rules.diagnostics.map((d) => d.message).join("\n"));
  const packet = parsePacketSpec("tcp 10.0.0.2:40000 -> 10.0.0.1:22");
  if (!packet.ok) throw new Error(packet.message);
  const result = trace(rules.ruleset, defaultHost(rules.ruleset), packet.packet, { from: { interface: "eth0" } });
  return tracePath(result, rules.ruleset);
}

describe("a trace with branches", () => {
  const path = forked();
  const [dropped, delivered] = [path.paths.find((p) => p.end.outcome === "dropped")!, path.paths.find((p) => p.end.outcome === "delivered")!];
  const [d, k] = [path.paths.indexOf(dropped), path.paths.indexOf(delivered)];

  test("one path a branch, each with its chance and end", () => {
    expect(path.paths).toHaveLength(2);
    expect([dropped.probability, delivered.probability]).toEqual([0.25, 0.75]);
    expect(dropped.visits.at(-1)!.node).toBe("INPUT.filter");
    expect(delivered.visits.at(-1)!.node).toBe("local");
  });

  test("Mermaid: a class and link colour a path; each end says which branch and how likely", () => {
    const mermaid = traceMermaid(path);
    expect(mermaid).toContain(`classDef path${d} stroke:${pathColour(d)},stroke-width:3px`);
    expect(mermaid).toContain(`classDef path${k} stroke:${pathColour(k)},stroke-width:3px`);
    expect(mermaid).toContain(`n_result_${d}(["branch ${d + 1} of 2 (probability 25%)<br>dropped:`);
    expect(mermaid).toContain(`n_result_${k}(["branch ${k + 1} of 2 (probability 75%)<br>delivered:`);
    // The way on from filter is the delivered branch's alone: its link in that branch's colour.
    const edges = mermaid.split("\n").filter((l) => / (-->|-\.->)/.test(l));
    const onward = edges.findIndex((l) => l.startsWith("  n_INPUT_filter --> "));
    expect(mermaid).toContain(`linkStyle ${onward} stroke:${pathColour(k)},stroke-width:3px`);
    expect(mermaid).toContain("line 3: -A INPUT -p tcp -m statistic --mode random --probability 0.25");
  });

  test("DOT: a way both branches take has both colours", () => {
    const dot = traceDot(path);
    expect(dot).toContain(`"in" -> "PREROUTING.raw" [color="${[pathColour(0), pathColour(1)].join(":")}", penwidth=3];`);
    expect(dot).toMatch(new RegExp(`"INPUT.filter" -> "INPUT.nat" \\[color="${pathColour(k)}", penwidth=3\\];`));
  });
});
