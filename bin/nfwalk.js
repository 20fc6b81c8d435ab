#!/usr/bin/env node
// The command line in one script (dist/nfwalk.cjs, bundled at build time and loaded with its code
// cache by bundle.js): loading one module instead of about two hundred saves a fifth of a second per run.
// bin/ is CommonJS (bin/package.json): a command started as an ES module first sets up Node's ES module
// loader, some 10 ms of every run.
const { loadBundle } = require("./bundle.js");

const { nodeIO, run } = loadBundle().exports;
const io = nodeIO();
run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // A bug in nfwalk, not in the input: say so without a stack trace.
    io.stderr(`nfwalk: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
