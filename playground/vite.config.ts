/**
 * The playground's build: a static page in dist/playground/ (so `npm run build` makes it and the
 * package ships it) with relative asset URLs, so that it works from any static host and from
 * `nfwalk playground`. The gallery's examples are read from examples/gallery.json at build time.
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { EXAMPLES, GALLERY_FILE, readGallery } from "./gallery-manifest.ts";

const root = resolve(import.meta.dirname, "..");

const GALLERY = "virtual:gallery";

/** `import gallery from "virtual:gallery"`: the examples with their files' text, each file once. */
function gallery(): Plugin {
  return {
    name: "nfwalk-gallery",
    resolveId: (source) => (source === GALLERY ? `\0${GALLERY}` : null),
    load(id) {
      if (id !== `\0${GALLERY}`) return null;
      this.addWatchFile(GALLERY_FILE);
      const manifest = readGallery();
      const files = new Map<string, string>();
      const text = (path: string) => {
        if (!files.has(path)) {
          const file = resolve(EXAMPLES, path);
          this.addWatchFile(file);
          files.set(path, readFileSync(file, "utf8"));
        }
        return `files[${JSON.stringify(path)}]`;
      };
      const entries = manifest.map(
        (e) =>
          `{id: ${JSON.stringify(e.id)}, title: ${JSON.stringify(e.title)}, lesson: ${JSON.stringify(e.lesson)}, rulesName: ${JSON.stringify(basename(e.rules))}, ` +
          `rules: ${text(e.rules)}, addr: ${text(e.addr)}, route: ${text(e.route)}, sysctls: ${JSON.stringify(e.sysctls.join("\n"))}, ` +
          `packet: ${JSON.stringify(e.packet)}, from: ${JSON.stringify(e.local ? "local" : e.in)}}`,
      );
      return `const files = ${JSON.stringify(Object.fromEntries(files))};\nexport default [${entries.join(",\n")}];\n`;
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [gallery()],
  worker: { format: "es" },
  logLevel: "warn",
  build: {
    outDir: resolve(root, "dist/playground"),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    // CodeMirror and the engine make two chunks of some hundred kilobytes; test/playground measures the limit that counts (gzipped).
    chunkSizeWarningLimit: 1000,
    // Everything stays a file of its own: nothing inlined as data: URLs, nothing fetched from elsewhere.
    assetsInlineLimit: 0,
  },
});
