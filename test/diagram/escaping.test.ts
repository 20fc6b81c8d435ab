/**
 * Rule text in a diagram is the user's: quotes, backslashes, `#`, `<`, `&` and backticks in a
 * comment must stay text in Mermaid and DOT, never end a label or become markup.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { defaultHost, parsePacketSpec, parseRuleset, trace, traceDot, traceMermaid, tracePath } from "../../src/index.js";

const comment = String.raw`say "hi" \ #35; <b>bold</b> & \`tick\` ;|]} -->`;
const dump = `*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m comment --comment ${JSON.stringify(comment)} -j ACCEPT\nCOMMIT\n`;

function drawn() {
  const rules = parseRuleset(dump, { file: "odd.v4" });
  if (!rules.ok) throw new Error(rules.diagnostics.map((d) => d.message).join("\n"));
  const packet = parsePacketSpec("tcp 10.0.0.2:40000 -> 10.0.0.1:22");
  if (!packet.ok) throw new Error(packet.message);
  const host = defaultHost(rules.ruleset);
  const path = tracePath(trace(rules.ruleset, host, packet.packet, { from: { interface: "eth0" } }), rules.ruleset);
  const rule = path.paths[0]!.steps.find((s) => s.rule)!.rule!;
  return { path, rule };
}

describe("rule text in diagrams", () => {
  const { path, rule } = drawn();

  test("the rule's text is the comment as iptables-save prints it", () => {
    expect(rule).toMatchObject({ file: "odd.v4", line: 3 });
    expect(rule.text).toContain("<b>bold</b>");
  });

  test("Mermaid: every label is one quoted string, its special characters as entity codes", () => {
    const mermaid = traceMermaid(path);
    const line = mermaid.split("\n").find((l) => l.includes("n_INPUT_filter["))!;
    expect(line).toMatch(/^ {4}n_INPUT_filter\["[^"]*"\]$/);
    const label = line.slice(line.indexOf('["') + 2, -2);
    const lines = label.split("<br>");
    for (const l of lines) expect(l).not.toMatch(/[<>&`]|#(?!\d+;)/);
    // Decoding the entity codes gives back the rule's text.
    const decoded = lines.map((l) => l.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
    expect(decoded).toContain(`line 3: ${rule.text}`);
  });

  test.skipIf(spawnSync("dot", ["-V"]).status !== 0)("DOT: Graphviz reads the label back as the rule's text", () => {
    const svg = spawnSync("dot", ["-Tsvg"], { input: traceDot(path), encoding: "utf8" });
    expect(svg.status).toBe(0);
    const texts = [...svg.stdout.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      m[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&(lt|gt|amp|quot);/g, (_, name: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"' })[name]!),
    );
    expect(texts).toContain(`line 3: ${rule.text}`);
  });
});
