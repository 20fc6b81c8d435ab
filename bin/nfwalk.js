#!/usr/bin/env node
import { nodeIO, run } from "../dist/cli/main.js";

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
