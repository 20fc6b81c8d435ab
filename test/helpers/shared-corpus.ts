/**
 * The shared corpus beside the project (`../shared/corpus`), which a clone may not have:
 * tests that read it skip with a printed note when it is absent.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** `../shared/corpus/<part>` when it exists; otherwise undefined, and a note is printed once per part. */
export function sharedCorpus(part: "real" | "docker/iptables"): string | undefined {
  const dir = resolve(import.meta.dirname, "../../../shared/corpus", part);
  if (existsSync(dir)) return dir;
  if (!noted.has(part)) console.log(`skipping tests on ${dir}: it does not exist here`);
  noted.add(part);
  return undefined;
}

const noted = new Set<string>();
