/**
 * The installed command (bin/nfwalk.js over the bundled dist/nfwalk.cjs) as a
 * user runs it: the same answers as the in-memory CLI, and the process-level
 * behaviour that only a real process has.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
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

  test("into a file, fmt writes the same bytes as into a pipe", () => {
    const file = join(scratch, "wide.v4");
    const rules = Array.from({ length: 5000 }, (_, i) => `-A INPUT -s 10.${i >> 8}.${i & 255}.1/32 -m comment --comment "service ${i} → café" -j ACCEPT`);
    writeFileSync(file, ["*filter", ":INPUT ACCEPT [0:0]", ...rules, "COMMIT", ""].join("\n"));
    const out = join(scratch, "wide.out");
    const fd = openSync(out, "w");
    const r = spawnSync(process.execPath, [BIN, "fmt", file], { stdio: ["ignore", fd, "pipe"] });
    closeSync(fd);
    expect(r.status).toBe(0);
    expect(readFileSync(out)).toEqual(spawnSync(process.execPath, [BIN, "fmt", file]).stdout);
    expect(readFileSync(out, "utf8")).toContain('--comment "service 4999 → café"');
  });

  test("the bundle is loaded with the code cache the build made for it", () => {
    const bundle = join(import.meta.dirname, "../../bin/bundle.js");
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `import { loadBundle } from ${JSON.stringify(bundle)}; console.log(loadBundle().script.cachedDataRejected);`], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("false\n");
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

  describe("hostile input ends in exit 2, with the file named", () => {
    const bad = join(scratch, "bad-rule.v4");
    writeFileSync(bad, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT --bogus -j ACCEPT\nCOMMIT\n");
    const deep = join(scratch, "deep.json");
    writeFileSync(deep, "[".repeat(100_000) + "]".repeat(100_000));
    const huge = join(scratch, "huge.v4");
    // A gigabyte that takes no disk: the size alone refuses it.
    closeSync(openSync(huge, "w"));
    truncateSync(huge, 1 << 30);
    const host = ["--addr", join(import.meta.dirname, "../../examples/docker-host/ip-addr.json"), "--route", join(import.meta.dirname, "../../examples/docker-host/ip-route.json")];
    const packet = ["--in", "eth0", "tcp 10.99.0.2:1 -> 10.99.0.1:22"];

    test.each([
      ["/dev/zero as the dump", ["fmt", "/dev/zero"], "/dev/zero:1:1: a NUL byte"],
      ["/dev/urandom as the dump", ["fmt", "/dev/urandom"], "/dev/urandom:"],
      ["/dev/zero as --addr", ["trace", "--rules", EXAMPLE, "--addr", "/dev/zero", "--route", "/dev/zero", ...packet], "/dev/zero:1:1: a NUL byte"],
      ["/dev/urandom as a snapshot", ["trace", "--host", "/dev/urandom", ...packet], "/dev/urandom:"],
      ["a gigabyte file", ["fmt", huge], `${huge}: larger than 64 MB, the limit for an iptables-save dump`],
      ["JSON 100,000 deep as --addr", ["trace", "--rules", EXAMPLE, "--addr", deep, "--route", deep, ...packet], `${deep}:1:513: error: not valid JSON: arrays and objects nested deeper`],
      ["JSON 100,000 deep as --route", ["trace", "--rules", EXAMPLE, ...host.slice(0, 2), "--route", deep, ...packet], `${deep}:1:513:`],
      ["JSON 100,000 deep as --docker-inspect", ["trace", "--rules", EXAMPLE, "--docker-inspect", deep, ...packet], `${deep}:1:513:`],
      ["JSON 100,000 deep as a snapshot", ["trace", "--host", deep, ...packet], `${deep}:1:513:`],
    ])("%s", (_, args, message) => {
      const r = nfwalk(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    });

    test.skipIf(!existsSync("/dev/zero"))("/dev/zero on standard input", () => {
      const zero = openSync("/dev/zero", "r");
      const r = spawnSync(process.execPath, [BIN, "fmt", "-"], { stdio: [zero, "pipe", "pipe"], encoding: "utf8" });
      closeSync(zero);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe("nfwalk: -:1:1: a NUL byte: binary data or UTF-16 text, not text iptables-save or ip -json prints\n");
    });

    test.skipIf(!existsSync("/dev/full"))("an error output that cannot be written (2>/dev/full) keeps exit 2", () => {
      const full = openSync("/dev/full", "w");
      const r = spawnSync(process.execPath, [BIN, "fmt", bad], { stdio: ["ignore", "pipe", full], encoding: "utf8" });
      closeSync(full);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
    });

    test("an error output whose reader is gone (a closed pipe) keeps exit 2", async () => {
      const child = spawn(process.execPath, [BIN, "fmt", bad], { stdio: ["ignore", "pipe", "pipe"] });
      child.stderr.destroy();
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(2);
    });

    const hasScript = spawnSync("script", ["--version"]).status === 0;
    test.skipIf(!hasScript)("at a terminal, a rule's control characters are shown as escapes; into a pipe the output stays exact", () => {
      const rules = join(scratch, "escapes.v4");
      writeFileSync(rules, '*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m comment --comment "\x1b]0;owned\x07\x1b[2J" -j ACCEPT\nCOMMIT\n');
      const args = ["trace", "--rules", rules, "--local", "tcp 10.0.0.1:40000 -> 10.0.0.2:80"];
      const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
      const terminal = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
      expect(terminal.stdout).toContain('--comment "\\x1b]0;owned\\x07\\x1b[2J"');
      expect(terminal.stdout).not.toMatch(/\x1b\]|\x07|\x1b\[2J/);
      expect(terminal.stdout).toContain("\x1b[1moutcome\x1b[0m"); // its own colours stay
      const piped = nfwalk(["fmt", rules]);
      expect(piped.stdout).toContain('--comment "\x1b]0;owned\x07\x1b[2J"');
    });

    test("an output whose reader is gone (a closed pipe) keeps exit 2 for bad input", async () => {
      const child = spawn(process.execPath, [BIN, "fmt", bad], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(2);
      expect(stderr).toContain(`${bad}:3:10: error: unknown option "--bogus"`);
    });
  });
});
