import { describe, expect, test } from "vitest";
import { writeOut, type CliIO } from "../../src/cli/io.js";

/** Standard output that is behind after every write until `drained` is awaited. */
function slowReader() {
  const writes: string[] = [];
  let waiting = false;
  const io: CliIO = {
    stdout: (text) => {
      if (waiting) throw new Error("wrote while the reader was behind");
      writes.push(text);
      waiting = true;
      return false;
    },
    drained: async () => {
      waiting = false;
    },
    stderr: () => {},
    readFile: async () => "",
    readPieces: async () => [],
    colour: false,
  };
  return { io, writes };
}

describe("writeOut", () => {
  test("writes everything in order, in pieces of about 64 KB, waiting for the reader after each", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `-A CHAIN-${i} -j ACCEPT\n`);
    const { io, writes } = slowReader();
    await writeOut(io, lines);
    expect(writes.join("")).toBe(lines.join(""));
    expect(writes.length).toBeGreaterThan(1);
    for (const piece of writes.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(64 * 1024);
  });

  test("nothing to write writes nothing", async () => {
    const { io, writes } = slowReader();
    await writeOut(io, []);
    expect(writes).toEqual([]);
  });
});
