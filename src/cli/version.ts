/** The version of the installed nfwalk, for `--version`. */
import { existsSync, readFileSync } from "node:fs";

/**
 * The version in nfwalk's package.json, found by walking up from this module: it runs from
 * src/cli (tests), dist/cli or the bundled dist/nfwalk.js, each at its own depth below it.
 */
export function packageVersion(): string {
  let dir = new URL(".", import.meta.url);
  for (;;) {
    const file = new URL("package.json", dir);
    if (existsSync(file)) {
      const pkg: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (isNfwalkPackage(pkg)) return pkg.version;
    }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) return "unknown";
    dir = parent;
  }
}

function isNfwalkPackage(pkg: unknown): pkg is { version: string } {
  return typeof pkg === "object" && pkg !== null && "name" in pkg && pkg.name === "nfwalk" && "version" in pkg && typeof pkg.version === "string";
}
