/**
 * `nfwalk check` on examples/ci/expectations.yaml, run from examples/ci as
 * the README shows it: each command's output is exactly the golden file
 * examples/ci/check/NAME.txt, with its exit code, and the README quotes the
 * ones it shows word for word.
 * `UPDATE_GOLDEN=1 npx vitest run test/check/goldens.test.ts` rewrites them.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/ci");
const commands = JSON.parse(readFileSync(join(dir, "check/commands.json"), "utf8")) as { name: string; args: string[]; exit: number; readme?: true }[];
// The paths as the commands name them from examples/ci.
const names = ["expectations.yaml", "rules-db-published.v4", ...["rules.v4", "rules-docker-user.v4", "ip-addr.json", "ip-route.json"].map((f) => `../docker-host/${f}`)];
const files = Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
const update = process.env["UPDATE_GOLDEN"] === "1";

describe("nfwalk check on examples/ci", () => {
  test.each(commands)("$name", async ({ name, args, exit }) => {
    const r = await runCli(args, files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(exit);
    const golden = join(dir, "check", `${name}.txt`);
    if (update || !existsSync(golden)) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });

  test.each(commands.filter((c) => c.readme))("the README shows $name as it is", ({ name, args }) => {
    const command = `$ nfwalk ${args.map((a) => (/[ >[]/.test(a) ? `'${a}'` : a)).join(" ")}\n`;
    expect(readme).toContain(command + readFileSync(join(dir, "check", `${name}.txt`), "utf8"));
  });
});
