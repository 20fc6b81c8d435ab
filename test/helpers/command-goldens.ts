/**
 * Goldens of command outputs: `FOLDER/commands.json` lists commands (name, args, exit code,
 * and `readme: true` when the README quotes it); each command, run in memory over `files`,
 * must print exactly `FOLDER/NAME.txt` with nothing on standard error and exit as listed,
 * and the README must quote the ones it shows word for word, after `$ nfwalk ARGS`.
 * `UPDATE_GOLDEN=1` rewrites the golden files.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";
import { runCli, type Files } from "./memory-io.js";

interface GoldenCommand {
  readonly name: string;
  readonly args: readonly string[];
  readonly exit: number;
  readonly readme?: true;
}

const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");

/** Call inside a describe block: one test a command, one a README quote. */
export function commandGoldens(folder: string, files: Files): void {
  const commands = JSON.parse(readFileSync(join(folder, "commands.json"), "utf8")) as GoldenCommand[];
  const update = process.env["UPDATE_GOLDEN"] === "1";

  test.each(commands)("$name", async ({ name, args, exit }) => {
    const r = await runCli(args, files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(exit);
    const golden = join(folder, `${name}.txt`);
    if (update || !existsSync(golden)) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });

  test.each(commands.filter((c) => c.readme))("the README shows $name as it is", ({ name, args }) => {
    const command = `$ nfwalk ${args.map((a) => (/[ >[]/.test(a) ? `'${a}'` : a)).join(" ")}\n`;
    expect(readme).toContain(command + readFileSync(join(folder, `${name}.txt`), "utf8"));
  });
}
