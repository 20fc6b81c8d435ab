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
import * as library from "../../src/index.js";

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

/** The library bundled for the browser, and the Node imports the bundler met. */
async function browserBundle(): Promise<{ code: string; nodeImports: string[] }> {
  const nodeImports: string[] = [];
  const bundle = await rolldown({ input: join(root, "src/index.ts"), platform: "browser", plugins: [refuseNode(nodeImports)], logLevel: "silent" });
  const { output } = await bundle.generate({ format: "iife", name: "nfwalk" });
  await bundle.close();
  return { code: output[0].code, nodeImports };
}

/** A page's globals, not Node's: the bundle must not reach for Buffer, process or require. */
function pageWith(code: string) {
  const page = createContext({ TextEncoder, TextDecoder });
  runInContext(code, page);
  return page;
}

test("the library bundles for the browser without a Node import, and the bundle traces a packet", async () => {
  const { code, nodeImports } = await browserBundle();
  expect(nodeImports).toEqual([]);
  const page = pageWith(code);
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

test("in the page, options kept in the kernel's fixed-size fields are counted and cut by UTF-8 bytes as in Node", async () => {
  // Each of these counts or cuts a string by its bytes (LOG's prefix is cut to 29, the comment is within 256, recent's name
  // is cut to 199 with a warning, -m string holds bytes and prints them in hex).
  const dump = [
    "*filter",
    ":INPUT ACCEPT [0:0]",
    `-A INPUT -m comment --comment "${"é".repeat(120)}" -j LOG --log-prefix "${"ü".repeat(20)}"`,
    `-A INPUT -m recent --rcheck --name ${"n".repeat(250)} --mask 255.255.255.255 --rsource`,
    '-A INPUT -m string --hex-string "|00 ff|x" --algo bm --to 65535 -j DROP',
    "-A INPUT -m set --match-set blocked src -m cgroup --path system.slice -j DROP",
    "COMMIT",
    "",
  ].join("\n");
  const inPage = (library: unknown) => {
    const page = createContext({ TextEncoder, TextDecoder, library, dump });
    return runInContext(
      `const loaded = library.parseRuleset(dump, { file: "rules.v4" });
       JSON.stringify({ text: loaded.ruleset && library.formatRuleset(loaded.ruleset), notes: loaded.diagnostics.map((d) => d.message) })`,
      page,
    );
  };
  const page = pageWith((await browserBundle()).code);
  const answer = JSON.parse(inPage(page["nfwalk"]));
  expect(answer).toEqual(JSON.parse(inPage(library)));
  expect(answer.text).toContain(`--log-prefix "${"ü".repeat(14)}\uFFFD"`);
  expect(answer.text).toContain('--hex-string "|00ff78|"');
  expect(answer.notes.join("\n")).toContain(`iptables keeps only "${"n".repeat(199)}"`);
});
