/**
 * Mermaid itself reads and draws every diagram `trace --format mermaid` makes: the goldens of
 * examples/docker-host, a rule whose comment holds Mermaid's and HTML's special characters,
 * and a forked trace. Mermaid needs a DOM, so it runs in Chromium (playwright-core, the
 * system's browser: Debian `chromium`); without one the test skips and says so.
 * Drawn, each diagram must have exactly the nodes and links its source declares, each node
 * showing its label's text (rule text back to what iptables-save prints), the path's nodes
 * in the path's class, and NAT's rewrites on the links.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, NO_CHROMIUM } from "../helpers/chromium.js";
import { defaultHost, parsePacketSpec, parseRuleset, trace, traceMermaid, tracePath } from "../../src/index.js";

const executable = chromiumPath;
if (executable === undefined) console.log(`Mermaid drawing checks skipped: ${NO_CHROMIUM}`);

/** Mermaid's browser build, from the devDependency; a tree installed before it was added has none (CI's npm ci always does). */
const mermaidScript = (() => {
  try {
    return createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  } catch {
    if (process.env["CI"]) throw new Error("the mermaid devDependency is not installed: run npm ci");
    console.log("Mermaid drawing checks skipped: the mermaid devDependency is not installed (npm ci installs it)");
    return undefined;
  }
})();

const dir = resolve(import.meta.dirname, "../../examples/docker-host/diagrams");
const goldens = readdirSync(dir)
  .filter((f) => f.endsWith(".mmd"))
  .map((f) => ({ name: f, source: readFileSync(join(dir, f), "utf8") }));

function traced(name: string, dump: string, spec: string): { name: string; source: string } {
  const rules = parseRuleset(dump, { file: `${name}.v4` });
  const packet = parsePacketSpec(spec);
  if (!rules.ok || !packet.ok) throw new Error(`${name} does not load`);
  return { name, source: traceMermaid(tracePath(trace(rules.ruleset, defaultHost(rules.ruleset), packet.packet, { from: { interface: "eth0" } }), rules.ruleset)) };
}

const comment = String.raw`say "hi" \ #35; <b>bold</b> & \`tick\` ;|]} -->`;
const diagrams = [
  ...goldens,
  traced("odd-comment", `*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m comment --comment ${JSON.stringify(comment)} -j ACCEPT\nCOMMIT\n`, "tcp 10.0.0.2:40000 -> 10.0.0.1:22"),
  traced("forked", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m statistic --mode random --probability 0.5 -j DROP\nCOMMIT\n", "tcp 10.0.0.2:40000 -> 10.0.0.1:22"),
];

/** What the source declares: node ids with their label's text, links, the path classes' members, link labels. */
function declared(source: string) {
  const text = (label: string) => label.replace(/<br>/g, "").replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const nodes = new Map([...source.matchAll(/^ +(n_\w+)\(?\["([^"]*)"\]\)?$/gm)].map((m) => [m[1]!, text(m[2]!)]));
  const links = [...source.matchAll(/^ +n_\w+ (?:-->|-\.->)(?:\|"([^"]*)"\|)? n_\w+$/gm)].map((m) => (m[1] === undefined ? "" : text(m[1])));
  const classes = new Map([...source.matchAll(/^ +class ([\w,]+) (path\d+)$/gm)].map((m) => [m[2]!, m[1]!.split(",").sort()]));
  return { nodes, links, classes };
}

// The page's DOM as far as the page function reads it (the project compiles without the DOM's types).
interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  readonly classList: Iterable<string>;
}
declare const document: { body: { innerHTML: string }; querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };

interface Drawn {
  readonly error?: string;
  readonly nodes: Record<string, { text: string; classes: string[] }>;
  readonly links: number;
  readonly linkLabels: string[];
}

describe.skipIf(executable === undefined || mermaidScript === undefined)("Mermaid draws the diagrams", () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: executable! });
    page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: mermaidScript! });
    await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
  }, 60_000);
  afterAll(async () => browser?.close());

  async function draw(source: string): Promise<Drawn> {
    return page.evaluate(async (source) => {
      const mermaid = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      try {
        const { svg } = await mermaid.render("diagram", source);
        document.body.innerHTML = svg;
        const nodes: Record<string, { text: string; classes: string[] }> = {};
        for (const g of document.querySelectorAll("g.node")) {
          // Mermaid names a node `diagram-flowchart-ID-N`.
          const id = /flowchart-(n_\w+)-\d+$/.exec(g.id)?.[1] ?? g.id;
          nodes[id] = { text: g.textContent ?? "", classes: [...g.classList] };
        }
        const linkLabels = [...document.querySelectorAll("g.edgeLabel")].map((e) => e.textContent ?? "");
        return { nodes, links: document.querySelectorAll("path.flowchart-link").length, linkLabels };
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e), nodes: {}, links: 0, linkLabels: [] };
      }
    }, source);
  }

  test.each(diagrams)("$name", async ({ source }) => {
    const drawn = await draw(source);
    expect(drawn.error).toBeUndefined();
    const want = declared(source);
    expect(want.nodes.size).toBeGreaterThan(20);
    expect(Object.keys(drawn.nodes).sort()).toEqual([...want.nodes.keys()].sort());
    for (const [id, text] of want.nodes) expect(drawn.nodes[id]!.text, id).toBe(text);
    expect(drawn.links).toBe(want.links.length);
    expect(drawn.linkLabels.filter((l) => l !== "").sort()).toEqual(want.links.filter((l) => l !== "").sort());
    for (const [name, members] of want.classes) {
      expect(
        Object.entries(drawn.nodes)
          .filter(([, n]) => n.classes.includes(name))
          .map(([id]) => id)
          .sort(),
      ).toEqual(members);
    }
  });

  test("the comment comes out as its text, not as markup", async () => {
    const odd = diagrams.find((d) => d.name === "odd-comment")!;
    const drawn = await draw(odd.source);
    const text = drawn.nodes["n_INPUT_filter"]!.text;
    // Markup would leave "bold" alone, an entity "#", a quote would end the label early.
    expect(text).toContain("<b>bold</b> & ");
    expect(text).toContain("#35;");
    expect(text).toMatch(/--comment "say \\"hi\\" .* -->" -j ACCEPT$/);
  });
});
