/**
 * `nfwalk trace --format text|json|mermaid|dot`: json is --json, text the default, the
 * diagrams draw one packet; a choice that does not apply is refused with exit 2.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files: Record<string, string> = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const base = ["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json"];
const spec = "tcp 10.99.0.2:40000 -> 10.99.0.1:8080";
const batch = { ...files, "b.jsonl": `${JSON.stringify({ packet: spec, in: "eth0" })}\n${JSON.stringify({ packet: "tcp 10.99.0.2:40000 -> 172.17.0.2:80", in: "eth0" })}\n` };

describe("trace --format", () => {
  test("json prints what --json prints, text what no option prints, for one packet and a batch", async () => {
    for (const where of [
      ["--in", "eth0", spec],
      ["--batch", "b.jsonl"],
    ]) {
      const [json, asJson, text, asText] = await Promise.all([
        runCli([...base, ...where, "--json"], batch),
        runCli([...base, ...where, "--format", "json"], batch),
        runCli([...base, ...where], batch),
        runCli([...base, ...where, "--format", "text"], batch),
      ]);
      expect(asJson).toEqual(json);
      expect(asText).toEqual(text);
      expect(json.stdout).not.toBe(text.stdout);
    }
  });

  test("mermaid and dot draw the packet's path and exit as the trace does", async () => {
    const mermaid = await runCli([...base, "--in", "eth0", "--format", "mermaid", spec], files);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^---\ntitle: .*\n---\nflowchart TB\n/);
    const dot = await runCli([...base, "--in", "eth0", "--format", "dot", "tcp 10.99.0.2:40000 -> 172.17.0.2:80"], files);
    expect(dot.code).toBe(1);
    expect(dot.stdout).toMatch(/^digraph nfwalk \{\n[\s\S]*\n\}\n$/);
  });

  test.each([
    { args: ["--batch", "b.jsonl", "--format", "mermaid"], message: "--format mermaid draws one packet's path and cannot be used with --batch" },
    { args: ["--batch", "b.jsonl", "--format", "dot"], message: "--format dot draws one packet's path and cannot be used with --batch" },
    { args: ["--in", "eth0", "--json", "--format", "dot", spec], message: "--json and --format dot ask for two formats" },
    { args: ["--in", "eth0", "--json", "--format", "text", spec], message: "--json and --format text ask for two formats" },
    { args: ["--in", "eth0", "--format", "svg", spec], message: "argument 'svg' is invalid. Allowed choices are text, json, mermaid, dot, junit, tap, github." },
  ])("refused: $args", async ({ args, message }) => {
    const r = await runCli([...base, ...args], batch);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });
});
