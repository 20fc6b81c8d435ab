import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { fileWriter } from "../../src/cli/stdout.js";

const scratch = mkdtempSync(join(tmpdir(), "nfwalk-stdout-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("standard output written straight to a file", () => {
  test("every text arrives as its UTF-8 bytes, in order: ASCII, wider characters, surrogate pairs, and a text larger than the buffer", () => {
    const path = join(scratch, "out.txt");
    const fd = openSync(path, "w");
    const texts = ["-A INPUT -j ACCEPT\n", 'comment "café → 80" 🦊\n', "x".repeat(300_000) + "→\n", "é".repeat(200_000), "last\n"];
    const failures: Error[] = [];
    const write = fileWriter(fd, (e) => failures.push(e));
    expect(write).toBeDefined();
    for (const text of texts) expect(write!(text)).toBe(true);
    closeSync(fd);
    expect(failures).toEqual([]);
    expect(readFileSync(path)).toEqual(Buffer.from(texts.join(""), "utf8"));
  });

  test.skipIf(!existsSync("/dev/full"))("a failed write (a full disk) is reported with the system's error", () => {
    const fd = openSync("/dev/full", "w");
    const failures: NodeJS.ErrnoException[] = [];
    fileWriter(fd, (e) => failures.push(e))!("text\n");
    closeSync(fd);
    expect(failures.map((e) => e.code)).toEqual(["ENOSPC"]);
  });
});
