#!/usr/bin/env node
// Fallback peak-RSS probe for when /usr/bin/time is not installed.
//
//   node bench/measure.js RSS_FILE SCRIPT [ARGS...]
//
// Runs SCRIPT (an ESM entry point such as bin/nfwalk.js) *in this process*,
// with process.argv set as if it had been started as `node SCRIPT ARGS...`,
// and on exit writes this process's peak RSS in KiB
// (process.resourceUsage().maxRSS) to RSS_FILE. The exit code is the script's.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [rssFile, script, ...args] = process.argv.slice(2);
if (!rssFile || !script) {
  process.stderr.write('usage: node bench/measure.js RSS_FILE SCRIPT [ARGS...]\n');
  process.exit(2);
}
const scriptPath = resolve(script);
process.argv = [process.argv[0] ?? 'node', scriptPath, ...args];
process.on('exit', () => {
  writeFileSync(rssFile, `${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(scriptPath).href);
