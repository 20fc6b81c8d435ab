/**
 * The command line bundled into dist/nfwalk.js (bin/nfwalk.js runs it): one module to load instead of
 * about two hundred. What one command alone needs and is large (check's YAML reader) is imported when
 * that command runs, into a chunk of its own, so the other commands do not compile it at every start.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: "dist/cli/main.js",
  platform: "node",
  logLevel: "warn",
  // The shared code stays in dist/nfwalk.js, which exports it to the lazy chunk, instead of a third module every run loads.
  preserveEntrySignatures: "allow-extension",
  output: {
    format: "esm",
    dir: "dist",
    entryFileNames: "nfwalk.js",
    chunkFileNames: "nfwalk-[name].js",
    // Node decodes and V8 scans an all-ASCII source as one byte a character (a single "…" in a message makes all of it two).
    charset: "ascii",
    comments: false,
  },
});
