#!/usr/bin/env node
// Fallback resource probe for when /usr/bin/time is not installed.
//
//   node bench/measure.js USAGE_FILE SCRIPT [ARGS...]
//
// Runs SCRIPT (a Node entry point, ES module or CommonJS, such as bin/nfwalk.js) *in this process*,
// with process.argv set as if it had been started as `node SCRIPT ARGS...`,
// and on exit writes this process's user and system CPU seconds and peak RSS
// in KiB (process.resourceUsage()) to USAGE_FILE, as `/usr/bin/time -f '%U %S %M'`
// would. The exit code is the script's.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [usageFile, script, ...args] = process.argv.slice(2);
if (!usageFile || !script) {
  process.stderr.write("usage: node bench/measure.js USAGE_FILE SCRIPT [ARGS...]\n");
  process.exit(2);
}
const scriptPath = resolve(script);
process.argv = [process.argv[0] ?? "node", scriptPath, ...args];
process.on("exit", () => {
  const u = process.resourceUsage();
  writeFileSync(usageFile, `${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6} ${u.maxRSS}\n`);
});
await import(pathToFileURL(scriptPath).href);
