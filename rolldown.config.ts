/**
 * The command line bundled into one file, dist/nfwalk.cjs: one module to load instead of about
 * two hundred. It is a CommonJS script so that bin/bundle.js can compile it with V8's code cache.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: "dist/cli/main.js",
  platform: "node",
  logLevel: "warn",
  output: {
    format: "cjs",
    file: "dist/nfwalk.cjs",
    // One script, one cache; what one command alone needs (check's YAML reader) is still evaluated only when that command runs.
    codeSplitting: false,
    // import() of node:http (playground) and the like as require(): a script compiled by node:vm has no import().
    dynamicImportInCjs: false,
    // Node decodes and V8 scans an all-ASCII source as one byte a character (a single "…" in a message makes all of it two).
    charset: "ascii",
    comments: false,
  },
});
