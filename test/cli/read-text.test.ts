import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readText, readTextPieces } from "../../src/cli/read-text.js";

const scratch = mkdtempSync(join(tmpdir(), "nfwalk-read-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const rules = (n: number, tail = "") => Array.from({ length: n }, (_, i) => `-A INPUT -s 10.0.${i >> 8}.${i & 255}/32 -j ACCEPT${tail}\n`).join("");

describe("readTextPieces", () => {
  test.each([
    ["several megabytes of ASCII", rules(120_000)],
    ["UTF-8 throughout, across piece boundaries", rules(60_000, ' -m comment --comment "café → ∞"')],
    ["a line longer than a piece", `*filter\n-A INPUT -m comment --comment "${"x".repeat(3 << 20)}"\nCOMMIT\n`],
    ["no line break at the end", "*filter\nCOMMIT"],
    ["nothing", ""],
  ])("%s: a regular file comes in one piece, the file itself", async (_, text) => {
    const path = file("dump", text);
    const pieces = await readTextPieces(path, 1 << 30);
    // One piece, not the text and an empty last one: a whole dump then needs no joining (copying).
    expect(pieces).toEqual([text]);
    expect(await readText(path, 1 << 30)).toBe(text);
  });
});

test.skipIf(!existsSync("/proc/version"))("a file that says it has size 0 (/proc) is read all the same", async () => {
  const text = readFileSync("/proc/version", "latin1");
  expect(text.length).toBeGreaterThan(0);
  expect(await readTextPieces("/proc/version", 1 << 30)).toEqual([text]);
});

const hasMkfifo = spawnSync("mkfifo", ["--version"]).status === 0;

describe.skipIf(!hasMkfifo)("a pipe, which does not say its size", () => {
  test.each([
    ["several megabytes of ASCII", rules(120_000)],
    ["UTF-8 throughout, across piece boundaries", rules(60_000, ' -m comment --comment "café → ∞"')],
    ["a line longer than a piece", `*filter\n-A INPUT -m comment --comment "${"x".repeat(3 << 20)}"\nCOMMIT\n`],
    ["no line break at the end", `${rules(60_000)}COMMIT`],
  ])("%s: pieces of about a megabyte that make the text, all but the last ending with a line break", async (_, text) => {
    const pipe = join(scratch, "pipe");
    rmSync(pipe, { force: true });
    expect(spawnSync("mkfifo", [pipe]).status).toBe(0);
    // The writer is another process: reading the pipe blocks this one.
    const writer = spawn("cp", [file("piped", text), pipe]);
    const written = new Promise((done) => writer.on("exit", done));
    const pieces = await readTextPieces(pipe, 1 << 30);
    await written;
    expect(pieces.join("")).toBe(text);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith("\n")).toBe(true);
    // Cut from a full buffer, not after each read (a pipe gives 64 kB at a time).
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.length).toBeLessThanOrEqual((text.length >> 20) + 2);
  });
});

describe("what is not text", () => {
  test.each([
    ["read in pieces", (path: string) => readTextPieces(path, 1 << 30)],
    ["read whole", (path: string) => readText(path, 1 << 30)],
  ])("a NUL byte megabytes in is refused at its line and column, %s", async (_, read) => {
    const before = rules(120_000);
    const path = file("nul", `${before}-A INPUT -s 10.0.0.1\0 -j ACCEPT\n${rules(10)}`);
    await expect(read(path)).rejects.toMatchObject({ message: expect.stringContaining("a NUL byte"), at: { line: 120_001, column: 21 } });
  });

  test("a file larger than the limit is refused before it is read, standard input or a device as it is read", async () => {
    await expect(readTextPieces(file("big", rules(1000)), 1000)).rejects.toMatchObject({ maxBytes: 1000 });
  });
});
