import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
  ])("%s: the pieces make the file, and all but the last end with a line break", async (_, text) => {
    const path = file("dump", text);
    const pieces = await readTextPieces(path, 1 << 30);
    expect(pieces.join("")).toBe(text);
    expect(pieces.join("")).toBe(await readText(path, 1 << 30));
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith("\n")).toBe(true);
    if (text.length > 4 << 20) expect(pieces.length).toBeGreaterThan(1);
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
