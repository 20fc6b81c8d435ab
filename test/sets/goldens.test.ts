/**
 * `nfwalk reach` and `nfwalk diff` on examples/docker-host (a change that
 * publishes the database container by mistake): each command's output is
 * exactly the golden file examples/docker-host/sets/NAME.txt, with its exit
 * code, and the README quotes the ones it shows word for word.
 * `UPDATE_GOLDEN=1 npx vitest run test/sets/goldens.test.ts` rewrites them.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const commands = JSON.parse(readFileSync(join(dir, "sets/commands.json"), "utf8")) as { name: string; args: string[]; exit: number; readme?: true }[];
const files = Object.fromEntries(["rules.v4", "rules-db-published.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
const update = process.env["UPDATE_GOLDEN"] === "1";

describe("reach and diff on examples/docker-host", () => {
  test.each(commands)("$name", async ({ name, args, exit }) => {
    const r = await runCli(args, files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(exit);
    const golden = join(dir, "sets", `${name}.txt`);
    if (update || !existsSync(golden)) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });

  test.each(commands.filter((c) => c.readme))("the README shows $name as it is", ({ name, args }) => {
    const command = `$ nfwalk ${args.map((a) => (/[ >[]/.test(a) ? `'${a}'` : a)).join(" ")}\n`;
    expect(readme).toContain(command + readFileSync(join(dir, "sets", `${name}.txt`), "utf8"));
  });
});
