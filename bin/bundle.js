/**
 * The command line, bundled at build time into one script (dist/nfwalk.cjs), loaded with V8's code
 * cache of it (dist/nfwalk.cjs.cache): V8 then neither parses the megabyte of code at every start nor
 * compiles again each function a run calls, which the cache holds compiled. `npm run build:cli` makes
 * the cache by running this file, which runs a few commands on the examples first so that the
 * functions they call are in it. Without a cache, or with one V8 refuses (another Node version), the
 * script is compiled as any other.
 */
const { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { tmpdir } = require("node:os");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE = join(__dirname, "../dist/nfwalk.cjs");
const CACHE = `${BUNDLE}.cache`;

/** The bundle's exports (`run`, `nodeIO`), and the script, whose cache writeCache writes. */
function loadBundle(withCache = true) {
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

const EXAMPLES = join(__dirname, "../examples/");
const DOCKER = `${EXAMPLES}docker-host/`;
const KUBE = `${EXAMPLES}kube-node/rules.v4`;
/**
 * A --batch of packets through the kube-node example's rules (no --addr: the host has lo and eth0): to cluster IPs
 * whose endpoints -m statistic picks, to a service with no endpoint (REJECT), forwarded through, sent by the host.
 * Written to a temporary file for the workload.
 */
const BATCH = [
  { packet: "tcp 10.244.0.5:40000 -> 10.96.0.30:8080", in: "eth0" },
  { packet: "tcp 192.168.1.50:40000 -> 192.168.1.10:30080", in: "eth0" },
  { packet: "tcp 10.244.0.5:40000 -> 10.96.0.40:80", in: "eth0" },
  { packet: "udp 192.168.1.10:40000 -> 10.96.0.10:53", local: true },
  { packet: "tcp 192.168.1.50:40000 -> 192.168.1.10:22", in: "eth0" },
];

/**
 * What the cache is made after: reading, printing and tracing the examples, whose rules use the extensions
 * large dumps are mostly made of (comment, tcp, udp, statistic, mark, conntrack, DNAT, MASQUERADE, …), so that
 * the functions a large `fmt` or `trace --batch --json` calls start compiled.
 */
function workload(batch) {
  return [
    ["fmt", `${DOCKER}rules.v4`],
    ["fmt", KUBE],
    ["fmt", `${EXAMPLES}host-firewall/rules.v4`],
    ["trace", "--rules", `${DOCKER}rules.v4`, "--addr", `${DOCKER}ip-addr.json`, "--route", `${DOCKER}ip-route.json`, "--in", "eth0", "--json", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080"],
    ["trace", "--rules", `${DOCKER}rules.v4`, "--local", "udp 10.0.0.1:40000 -> 10.0.0.2:53"],
    ["trace", "--rules", KUBE, "--batch", batch, "--json"],
  ];
}

async function writeCache() {
  const { exports, script } = loadBundle(false);
  const io = { ...exports.nodeIO(), stdout: () => true, stderr: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "nfwalk-cache-"));
  try {
    const batch = join(dir, "batch.jsonl");
    writeFileSync(batch, BATCH.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    for (const argv of workload(batch)) {
      const code = await exports.run(argv, io);
      // 0, 1 or 3 is an answer; anything else means the examples no longer run as the cache expects.
      if (code !== 0 && code !== 1 && code !== 3) throw new Error(`nfwalk ${argv.join(" ")} exited ${code} while the code cache was made`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(CACHE, script.createCachedData());
}

module.exports = { loadBundle };

if (require.main === module) writeCache();
