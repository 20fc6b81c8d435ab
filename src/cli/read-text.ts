/**
 * Reading the user's files as text. Dumps are nearly always ASCII, which
 * decodes faster as Latin-1 (the same text) than as UTF-8.
 */
import { isAscii } from "node:buffer";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";

/** A file, or standard input for `-`, in one piece. */
export async function readText(path: string): Promise<string> {
  // Read at once: fs/promises reads in 512 KB pieces, each a trip to the thread pool.
  return decode(path === "-" ? await readStdin() : readFileSync(path));
}

/**
 * A file in pieces of about a megabyte that end with a line break (the last
 * one need not): read through one reused buffer, a dump of tens of megabytes
 * is never also held as a buffer of its size, whose memory costs as much to
 * touch as the text itself. Standard input comes as one piece.
 */
export async function readTextPieces(path: string): Promise<readonly string[]> {
  if (path === "-") return [decode(await readStdin())];
  const fd = openSync(path, "r");
  try {
    return readPieces(fd);
  } finally {
    closeSync(fd);
  }
}

const PIECE_BYTES = 1 << 20;
const NEWLINE = 0x0a;

function readPieces(fd: number): string[] {
  const pieces: string[] = [];
  let buffer: Buffer = Buffer.allocUnsafe(PIECE_BYTES);
  /** Bytes of a line begun in the last read, at the buffer's start. */
  let carried = 0;
  for (;;) {
    if (carried === buffer.length) buffer = grown(buffer); // a line longer than the buffer
    const read = readSync(fd, buffer, carried, buffer.length - carried, null);
    const end = carried + read;
    if (read === 0) {
      pieces.push(decode(buffer.subarray(0, end)));
      return pieces;
    }
    const lastBreak = buffer.lastIndexOf(NEWLINE, end - 1);
    if (lastBreak === -1) {
      carried = end;
      continue;
    }
    pieces.push(decode(buffer.subarray(0, lastBreak + 1)));
    buffer.copy(buffer, 0, lastBreak + 1, end);
    carried = end - lastBreak - 1;
  }
}

function grown(buffer: Buffer): Buffer {
  const larger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(larger);
  return larger;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A piece cut at a line break never splits a UTF-8 sequence, so pieces decode one by one. */
function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}
