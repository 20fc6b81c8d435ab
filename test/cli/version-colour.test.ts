/**
 * `--version`, and colour only for a person at a terminal who has not set NO_COLOR
 * (https://no-color.org). The terminal is a real pseudo-terminal made by util-linux's `script`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { wantsColour } from "../../src/cli/io.js";
import { runCli } from "../helpers/memory-io.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/nfwalk.js");
const EXAMPLE = join(ROOT, "examples/docker-host/rules-docker-user-port.v4");
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const ESC = "\x1b[";

describe("--version", () => {
  test("prints package.json's version and exits 0, in memory and from the installed command", async () => {
    const r = await runCli(["--version"]);
    expect(r).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: "" });
    const installed = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
    expect(installed.status).toBe(0);
    expect(installed.stdout).toBe(`${PACKAGE_VERSION}\n`);
  });
});

describe("colour", () => {
  test("only at a terminal, and never when NO_COLOR is set to a non-empty value", () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(true, { NO_COLOR: "" })).toBe(true);
    expect(wantsColour(true, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColour(false, {})).toBe(false);
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  if (!hasScript) console.log("skipped: the terminal tests need util-linux's `script` to make a pseudo-terminal");

  /** A text trace run at a pseudo-terminal, with `env` added to the environment. */
  function traceAtTerminal(env: Record<string, string>): string {
    const command = `'${process.execPath}' '${BIN}' trace --rules '${EXAMPLE}' --local 'tcp 10.0.0.1:40000 -> 10.0.0.2:80'`;
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "", ...env } });
    expect(r.stdout).toContain("outcome");
    return r.stdout;
  }

  test.skipIf(!hasScript)("a text trace at a terminal is coloured; with NO_COLOR=1 it is plain", () => {
    expect(traceAtTerminal({})).toContain(ESC);
    expect(traceAtTerminal({ NO_COLOR: "1" })).not.toContain(ESC);
  });

  /** Every command that prints text for a person, on the bundled Docker host. */
  const E = join(ROOT, "examples/docker-host");
  const TEXT_COMMANDS: readonly (readonly string[])[] = [
    ["fmt", EXAMPLE],
    ["why", "--rules", EXAMPLE, "--addr", `${E}/ip-addr.json`, "--route", `${E}/ip-route.json`, "tcp 10.99.0.2:40000 -> 10.99.0.1:8080"],
    ["reach", "--rules", EXAMPLE, "--in", "eth0", "tcp any -> any:80"],
    ["diff", EXAMPLE, `${E}/rules.v4`],
    ["ports", "--rules", EXAMPLE, "--addr", `${E}/ip-addr.json`, "--route", `${E}/ip-route.json`, "--docker-inspect", `${E}/docker-inspect.json`],
  ];

  test.skipIf(!hasScript)("no command colours its text at a terminal under NO_COLOR=1", () => {
    for (const argv of TEXT_COMMANDS) {
      const command = [process.execPath, BIN, ...argv].map((a) => `'${a}'`).join(" ");
      const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      expect(r.stdout.length, argv[0]).toBeGreaterThan(0);
      expect(r.stdout, argv[0]).not.toContain(ESC);
    }
  });

  test("a text trace into a pipe is plain", () => {
    const r = spawnSync(process.execPath, [BIN, "trace", "--rules", EXAMPLE, "--local", "tcp 10.0.0.1:40000 -> 10.0.0.2:80"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
    expect(r.stdout).toContain("outcome");
    expect(r.stdout).not.toContain(ESC);
  });
});
