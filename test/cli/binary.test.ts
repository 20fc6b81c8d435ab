/**
 * The installed command (bin/nfwalk.js over the bundled dist/nfwalk.js) as a
 * user runs it: the same answers as the in-memory CLI, and the process-level
 * behaviour that only a real process has.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const BIN = join(import.meta.dirname, "../../bin/nfwalk.js");
const EXAMPLE = join(import.meta.dirname, "../../examples/docker-host/rules-docker-user-port.v4");
const scratch = mkdtempSync(join(tmpdir(), "nfwalk-bin-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function nfwalk(args: readonly string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
}

describe("the nfwalk command", () => {
  test("fmt prints what the library prints", async () => {
    const expected = await runCli(["fmt", "dump"], { dump: readFileSync(EXAMPLE, "latin1") });
    const r = nfwalk(["fmt", EXAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected.stdout);
  });

  test("a dump that is not ASCII is read as UTF-8", () => {
    const file = join(scratch, "utf8.v4");
    writeFileSync(file, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "café → 80" -j ACCEPT\nCOMMIT\n');
    const r = nfwalk(["fmt", file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('-A INPUT -m comment --comment "café → 80" -j ACCEPT\n');
  });

  test("bad input exits 2 with a positioned error and no stack trace", () => {
    const file = join(scratch, "bad.v4");
    writeFileSync(file, "*filter\n-A NOPE -j ACCEPT\nCOMMIT\n");
    const r = nfwalk(["fmt", file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${file}:2:`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("a reader that stops early ends nfwalk as SIGPIPE would (141), silently", async () => {
    const file = join(scratch, "large.v4");
    const rules = Array.from({ length: 20_000 }, (_, i) => `-A INPUT -s 10.${i >> 8}.${i & 255}.1/32 -p tcp -m tcp --dport 8080 -j ACCEPT`);
    writeFileSync(file, ["*filter", ":INPUT ACCEPT [0:0]", ...rules, "COMMIT", ""].join("\n"));
    const child = spawn(process.execPath, [BIN, "fmt", file], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(141);
    expect(stderr).toBe("");
  });

  test.skipIf(!existsSync("/dev/full"))("an output that cannot be written (a full disk) is said in one line, exit 74", () => {
    const full = openSync("/dev/full", "w");
    const r = spawnSync(process.execPath, [BIN, "fmt", EXAMPLE], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
    closeSync(full);
    expect(r.status).toBe(74);
    expect(r.stderr).toBe("nfwalk: cannot write the output: ENOSPC: no space left on device, write\n");
  });
});
