/**
 * `nfwalk trace --format mermaid|dot` on examples/docker-host: each diagram is exactly the
 * golden file examples/docker-host/diagrams/NAME (commands in diagrams/commands.json), the
 * README shows the published port's diagrams as they are, and Graphviz itself (`dot -Tsvg`)
 * draws every DOT file. `UPDATE_GOLDEN=1 npx vitest run test/diagram/goldens.test.ts`
 * rewrites the goldens.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const commands = JSON.parse(readFileSync(join(dir, "diagrams/commands.json"), "utf8")) as { name: string; args: string[]; exit: number; readme?: true }[];
const files = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
const update = process.env["UPDATE_GOLDEN"] === "1";
const golden = (name: string) => readFileSync(join(dir, "diagrams", name), "utf8");

const graphviz = spawnSync("dot", ["-V"]).status === 0;
if (!graphviz) console.log("skipping the Graphviz checks: no `dot` command (Debian: apt-get install graphviz)");

describe("trace diagrams of examples/docker-host", () => {
  test.each(commands)("$name", async ({ name, args, exit }) => {
    const r = await runCli(args, files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(exit);
    const path = join(dir, "diagrams", name);
    if (update || !existsSync(path)) writeFileSync(path, r.stdout);
    expect(r.stdout).toBe(golden(name));
  });

  test.each(commands.filter((c) => c.readme))("the README shows $name as it is", ({ name }) => {
    const fence = name.endsWith(".mmd") ? "mermaid" : "dot";
    expect(readme).toContain("```" + fence + "\n" + golden(name) + "```\n");
  });

  test.skipIf(!graphviz).each(commands.filter((c) => c.name.endsWith(".dot")))("Graphviz draws $name", ({ name }) => {
    const drawn = spawnSync("dot", ["-Tsvg"], { input: golden(name), encoding: "utf8" });
    expect(drawn.stderr).toBe("");
    expect(drawn.status).toBe(0);
    // Every node and edge declared is in the picture.
    const source = golden(name);
    const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;
    const nodes = count(source, /^ +"[^"]*" \[/gm);
    expect(nodes).toBeGreaterThan(20);
    expect(count(drawn.stdout, /<g id="node\d+" class="node">/g)).toBe(nodes);
    expect(count(drawn.stdout, /<g id="edge\d+" class="edge">/g)).toBe(count(source, /^ +"[^"]*" -> "/gm));
  });
});
