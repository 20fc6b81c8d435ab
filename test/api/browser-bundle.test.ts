/**
 * The library runs in a web page: bundled for the browser from src/index.ts, it imports no
 * Node module, and the bundle traces a packet in a bare JavaScript context that has only
 * what a browser page also has (no Buffer, no process, no require).
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { createContext, runInContext } from "node:vm";
import { rolldown, type Plugin } from "rolldown";
import { expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const NODE_MODULES = new Set(builtinModules);

/** Records every import of a Node module (node:fs, fs, buffer, …) instead of letting the bundler leave it external. */
function refuseNode(found: string[]): Plugin {
  return {
    name: "refuse-node",
    resolveId(source, importer) {
      if (!source.startsWith("node:") && !NODE_MODULES.has(source.split("/")[0]!)) return null;
      found.push(`${importer ?? "entry"} imports ${source}`);
      return { id: source, external: true };
    },
  };
}

test("the library bundles for the browser without a Node import, and the bundle traces a packet", async () => {
  const nodeImports: string[] = [];
  const bundle = await rolldown({ input: join(root, "src/index.ts"), platform: "browser", plugins: [refuseNode(nodeImports)], logLevel: "silent" });
  const { output } = await bundle.generate({ format: "iife", name: "nfwalk" });
  await bundle.close();
  expect(nodeImports).toEqual([]);

  // A page's globals, not Node's: the bundle must not reach for Buffer, process or require.
  const page = createContext({ TextEncoder, TextDecoder });
  runInContext(output[0].code, page);
  const example = (name: string) => readFileSync(join(root, "examples/docker-host", name), "utf8");
  page["files"] = { rules: example("rules.v4"), addr: example("ip-addr.json"), route: example("ip-route.json") };
  const answer = runInContext(
    `const rules = nfwalk.parseRuleset(files.rules, { file: "rules.v4" });
     const host = nfwalk.loadHost({ addr: files.addr, route: files.route });
     const packet = nfwalk.parsePacketSpec("tcp 10.99.0.2:40000 -> 10.99.0.1:8080");
     const result = nfwalk.trace(rules.ruleset, host.value, packet.packet, { from: { interface: "eth0" } });
     [result.outcome, result.egress.packet.dst, nfwalk.traceTextRenderer(rules.ruleset, host.value)(result).split("\\n").at(-2)].join(" | ")`,
    page,
  );
  expect(answer).toBe("forwarded | 172.17.0.2 | outcome  forwarded: forwarded out of docker0 as tcp 10.99.0.2:40000 -> 172.17.0.2:80 [SYN]");
});
