/**
 * Reading the user's files as text, within a size limit and refusing what is not
 * text a dump can be (binary data, UTF-16, a byte order mark), as it is read: `/dev/zero`
 * or a gigabyte file ends in a one-line refusal, not in gigabytes of memory.
 * Dumps are nearly always ASCII, which decodes faster as Latin-1 (the same text) than as UTF-8.
 */
import { isAscii } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputRefused, TextCheck } from "./text-check.js";

/** A file, or standard input for `-`, in one piece, refused beyond `maxBytes`. */
export async function readText(path: string, maxBytes: number): Promise<string> {
  const pieces = await readTextPieces(path, maxBytes);
  return pieces.length === 1 ? pieces[0]! : pieces.join("");
}

/**
 * A file in pieces that end with a line break (the last one need not). A regular file is read
 * whole, into a buffer of its size, as one piece: an ASCII text that long decodes to one external
 * string, outside V8's heap, so a large dump does not count towards the heap's limit and does not
 * bring on a second full garbage collection after it is loaded (on a 26 MB dump, one of 150 MB at
 * the end of the load). Devices and pipes do not say their size: they are read through one reused
 * buffer, in pieces of about a megabyte. Standard input comes as one piece.
 */
export async function readTextPieces(path: string, maxBytes: number): Promise<readonly string[]> {
  const check = new TextCheck(maxBytes);
  if (path === "-") return [decode(await readStdin(check))];
  const fd = openSync(path, "r");
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputRefused("a directory, not a file");
    // A regular file says its size: refuse it before reading a byte. Devices and pipes are checked as they are read.
    if (stat.isFile()) check.size(stat.size);
    // One byte more than its size: the read that finds the end finds it in the same buffer. (Not less than
    // a piece: a file of /proc says it has size 0.)
    return readPieces(fd, check, stat.isFile() ? Math.max(stat.size + 1, PIECE_BYTES) : PIECE_BYTES);
  } finally {
    closeSync(fd);
  }
}

const PIECE_BYTES = 1 << 20;
const NEWLINE = 0x0a;

function readPieces(fd: number, check: TextCheck, pieceBytes: number): string[] {
  const pieces: string[] = [];
  let buffer: Buffer = Buffer.allocUnsafe(pieceBytes);
  /** Bytes read but not yet cut into a piece, at the buffer's start. */
  let carried = 0;
  for (;;) {
    if (carried === buffer.length) buffer = grown(buffer); // a line longer than the buffer
    const read = readSync(fd, buffer, carried, buffer.length - carried, null);
    const before = buffer.subarray(0, carried);
    check.take(buffer.subarray(carried, carried + read), () => [...pieces, before]);
    const end = carried + read;
    if (read === 0) {
      // No empty last piece: a file read in one piece stays one string, not one joined (copied) with "".
      if (end > 0 || pieces.length === 0) pieces.push(decode(buffer.subarray(0, end)));
      return pieces;
    }
    // Cut a piece only from a full buffer: a file that fits in it stays one piece.
    if (end < buffer.length) {
      carried = end;
      continue;
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

async function readStdin(check: TextCheck): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) {
      check.take(chunk as Buffer, () => chunks);
      chunks.push(chunk as Buffer);
    }
  } finally {
    // Leaving the loop early (a refusal) must not leave standard input holding the process open.
    process.stdin.destroy();
  }
  return Buffer.concat(chunks);
}

/** Text given as bytes (or as a string, taken as its UTF-8 bytes), checked as a file would be. */
export function checkedText(content: string | Uint8Array, maxBytes: number): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  const check = new TextCheck(maxBytes);
  check.take(bytes, () => []);
  return decode(bytes);
}

/** A piece cut at a line break never splits a UTF-8 sequence, so pieces decode one by one. */
function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}
