/**
 * The library's entry point gives what the command prints: the same trace, the same
 * answer to why, diagnostics as values. Everything here is imported from src/index.ts only.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import {
  dockerPorts,
  loadHost,
  parseAssumptions,
  parsePacketSpec,
  parseRuleset,
  portsJson,
  renderDiagnostic,
  SourceText,
  trace,
  traceDot,
  traceMermaid,
  tracePath,
  traceTextRenderer,
  why,
  type TraceResult,
} from "../../src/index.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files: Record<string, string> = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const hostFlags = ["--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json"];

function loaded() {
  const rules = parseRuleset(files["rules.v4"]!, { file: "rules.v4" });
  const host = loadHost({ addr: files["ip-addr.json"]!, route: files["ip-route.json"]! });
  if (!rules.ok || !host.ok) throw new Error("the bundled example loads");
  return { ruleset: rules.ruleset, host: host.value };
}

function packet(text: string) {
  const parsed = parsePacketSpec(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.packet;
}

describe("the public API", () => {
  const { ruleset, host } = loaded();
  const spec = "tcp 10.99.0.2:40000 -> 10.99.0.1:8080";

  test("trace() returns what `nfwalk trace --json` prints", async () => {
    const cli = await runCli(["trace", ...hostFlags, "--in", "eth0", "--json", spec], files);
    const result = trace(ruleset, host, packet(spec), { from: { interface: "eth0" } });
    expect(result.outcome).toBe("forwarded");
    expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(cli.stdout));
  });

  test("the text renderer prints what `nfwalk trace` prints, and only renders traces trace() made", async () => {
    const cli = await runCli(["trace", ...hostFlags, "--in", "eth0", spec], files);
    const result = trace(ruleset, host, packet(spec), { from: { interface: "eth0" } });
    const render = traceTextRenderer(ruleset, host);
    expect(render(result)).toBe(cli.stdout);
    expect(() => render(JSON.parse(JSON.stringify(result)) as TraceResult)).toThrow(TypeError);
  });

  test("the diagrams of a trace are what `nfwalk trace --format mermaid|dot` prints, from the trace as JSON too", async () => {
    const result = trace(ruleset, host, packet(spec), { from: { interface: "eth0" } });
    const [mermaid, dot] = await Promise.all(["mermaid", "dot"].map((format) => runCli(["trace", ...hostFlags, "--in", "eth0", "--format", format, spec], files)));
    expect(traceMermaid(tracePath(result, ruleset))).toBe(mermaid!.stdout);
    expect(traceDot(tracePath(result, ruleset))).toBe(dot!.stdout);
    // tracePath reads plain data: what `trace --json` printed places the same way.
    expect(tracePath(JSON.parse(JSON.stringify(result)), ruleset)).toEqual(tracePath(result, ruleset));
  });

  test("assumptions in the command's syntax, and a malformed one as a value", () => {
    expect(parseAssumptions(["limit=match", "line:12=nomatch"]).ok).toBe(true);
    const bad = parseAssumptions(["limit"]);
    expect(bad).toEqual({ ok: false, message: expect.stringContaining("NAME=match|nomatch") });
  });

  test("why() answers as `nfwalk why --json`, inferring where the packet comes from", async () => {
    const whySpec = "tcp 203.0.113.7 -> 10.99.0.1:8080";
    const cli = await runCli(["why", ...hostFlags, "--json", whySpec], files);
    const result = why(ruleset, host, packet("tcp 203.0.113.7:40000 -> 10.99.0.1:8080"));
    expect(result.ok && JSON.parse(JSON.stringify(result.answer))).toEqual(JSON.parse(cli.stdout));
  });

  test("dockerPorts() lists what `nfwalk ports --json` lists", async () => {
    const cli = await runCli(["ports", ...hostFlags, "--json"], files);
    expect(JSON.parse(JSON.stringify(portsJson(dockerPorts(ruleset, host))))).toEqual(JSON.parse(cli.stdout));
  });

  test("bad input is a value with positioned diagnostics, not an exception", () => {
    const dump = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprot 80 -j ACCEPT\nCOMMIT\n";
    const rules = parseRuleset(dump, { file: "bad.v4" });
    expect(rules.ok).toBe(false);
    const rendered = rules.diagnostics.map((d) => renderDiagnostic(d, new SourceText("bad.v4", dump)));
    expect(rendered[0]).toMatch(/^bad\.v4:3:17: error: unknown option "--dprot"/);
    const host = loadHost({ addr: "[{", route: "[]", sysctls: ["net.ipv4.ip_forward=7"], addrFile: "a.json" });
    expect(host.ok).toBe(false);
    if (!host.ok) {
      expect(host.diagnostics.some((d) => d.span?.file === "a.json")).toBe(true);
      expect(host.diagnostics.some((d) => d.message.includes("ip_forward"))).toBe(true);
    }
  });
});
