/**
 * `nfwalk playground` refuses bad input before it serves anything (exit 2, one line), and
 * says how it is used. Serving the page is tested with the real binary and a browser in
 * test/playground/page.test.ts.
 */
import { expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

test("--help says how to start it", async () => {
  const r = await runCli(["playground", "--help"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("Usage: nfwalk playground [options]");
  expect(r.stdout).toMatch(/--port <n>/);
  expect(r.stdout).toMatch(/--rules <file>/);
});

test.each(["x", "-1", "65536", "80.5", "123456"])("--port %s is refused with exit 2", async (port) => {
  const r = await runCli(["playground", "--port", port]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe(`nfwalk: --port "${port}": expected a port number from 0 to 65535\n`);
});

test("a --rules file that cannot be read is refused with exit 2, before anything is served", async () => {
  const r = await runCli(["playground", "--port", "0", "--rules", "missing.v4"]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe("nfwalk: missing.v4: cannot read: no such file\n");
});

test("a --rules file that is not text is refused at its position", async () => {
  const r = await runCli(["playground", "--port", "0", "--rules", "bin.v4"], { "bin.v4": new Uint8Array([0x2a, 0x66, 0x0a, 0x00, 0x01]) });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^nfwalk: bin\.v4:2:1: /);
});
