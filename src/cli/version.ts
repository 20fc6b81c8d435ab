/** The installed nfwalk: its folder and version. */
import { existsSync, readFileSync } from "node:fs";

/**
 * The folder of nfwalk's package.json, found by walking up from this module: it runs from
 * src/cli (tests), dist/cli or the bundled dist/nfwalk.cjs, each at its own depth below it.
 */
export function packageDirectory(): { readonly url: URL; readonly version: string } | undefined {
  let dir = new URL(".", import.meta.url);
  for (;;) {
    const file = new URL("package.json", dir);
    if (existsSync(file)) {
      const pkg: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (isNfwalkPackage(pkg)) return { url: dir, version: pkg.version };
    }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) return undefined;
    dir = parent;
  }
}

/** The version in nfwalk's package.json, for `--version`. */
export function packageVersion(): string {
  return packageDirectory()?.version ?? "unknown";
}

function isNfwalkPackage(pkg: unknown): pkg is { version: string } {
  return typeof pkg === "object" && pkg !== null && "name" in pkg && pkg.name === "nfwalk" && "version" in pkg && typeof pkg.version === "string";
}
