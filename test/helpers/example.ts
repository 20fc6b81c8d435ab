/** An example folder's files (examples/NAME) and the host its ip -json addr and route describe, which tests trace on. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadHost, type Host } from "../../src/index.js";

export interface Example {
  readonly read: (file: string) => string;
  readonly host: Host;
}

export function example(folder: string): Example {
  const dir = resolve(import.meta.dirname, "../../examples", folder);
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  const loaded = loadHost({ addr: read("ip-addr.json"), route: read("ip-route.json") });
  if (!loaded.ok) throw new Error(`the host of examples/${folder} does not load`);
  return { read, host: loaded.value };
}
