/**
 * The command line, bundled at build time into one script (dist/nfwalk.cjs), loaded with V8's code
 * cache of it (dist/nfwalk.cjs.cache): V8 then neither parses the megabyte of code at every start nor
 * compiles again each function a run calls, which the cache holds compiled. `npm run build:cli` makes
 * the cache by running this file, which runs a few commands on the examples first so that the
 * functions they call are in it. Without a cache, or with one V8 refuses (another Node version), the
 * script is compiled as any other.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const BUNDLE = fileURLToPath(new URL("../dist/nfwalk.cjs", import.meta.url));
const CACHE = `${BUNDLE}.cache`;

/** The bundle's exports (`run`, `nodeIO`), and the script, whose cache writeCache writes. */
export function loadBundle(withCache = true) {
  const source = readFileSync(BUNDLE, "utf8");
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData: withCache ? freshCache() : undefined,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script };
}

/**
 * The cache, unless the bundle was rebuilt after it (V8 checks a cache against the length of the source only),
 * or a profiler runs: it records each function of the cache as it is loaded, which takes longer than compiling
 * them, and would show in every profile as a cost the command does not have.
 */
function freshCache() {
  if (/--cpu-prof|--prof\b/.test(`${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`)) return undefined;
  try {
    return statSync(CACHE).mtimeMs >= statSync(BUNDLE).mtimeMs ? readFileSync(CACHE) : undefined;
  } catch {
    return undefined;
  }
}

const EXAMPLE = fileURLToPath(new URL("../examples/docker-host/", import.meta.url));
/** What the cache is made after: reading, printing and tracing the Docker example. */
const WORKLOAD = [
  ["fmt", `${EXAMPLE}rules.v4`],
  ["trace", "--rules", `${EXAMPLE}rules.v4`, "--addr", `${EXAMPLE}ip-addr.json`, "--route", `${EXAMPLE}ip-route.json`, "--in", "eth0", "--json", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080"],
  ["trace", "--rules", `${EXAMPLE}rules.v4`, "--local", "udp 10.0.0.1:40000 -> 10.0.0.2:53"],
];

async function writeCache() {
  const { exports, script } = loadBundle(false);
  const io = { ...exports.nodeIO(), stdout: () => true, stderr: () => {} };
  for (const argv of WORKLOAD) await exports.run(argv, io);
  writeFileSync(CACHE, script.createCachedData());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeCache();
