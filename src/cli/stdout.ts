/**
 * Standard output of the nfwalk process. Into a file or a device such as
 * /dev/null Node writes synchronously anyway (its SyncWriteStream), but first
 * makes every string a new Buffer; for the tens of megabytes `fmt` and
 * `trace --batch` print, writing through one reused buffer saves that
 * allocation and copy. A pipe or a terminal keeps the stream, whose `drain`
 * tells a slow reader apart.
 */
import { fstatSync, writeSync } from "node:fs";
import { isatty } from "node:tty";

/** Room for this many characters: three bytes each at most in UTF-8 (a surrogate pair is four bytes for two). */
const CHARACTERS = 256 * 1024;

/**
 * A writer straight to `fd`, or undefined where Node's stream must write
 * (a pipe, a socket, a terminal). `failed` is told of a write that failed,
 * as the stream's `error` event would be.
 */
export function fileWriter(fd: number, failed: (e: NodeJS.ErrnoException) => void): ((text: string) => boolean) | undefined {
  if (!isFileLike(fd)) return undefined;
  const buffer = Buffer.allocUnsafe(CHARACTERS * 3);
  return (text) => {
    // A text too large for the buffer (one report of a whole batch) gets a buffer of its own.
    const bytes = text.length <= CHARACTERS ? buffer.subarray(0, buffer.write(text)) : Buffer.from(text);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    } catch (e) {
      failed(e as NodeJS.ErrnoException);
    }
    return true;
  };
}

/** What Node itself writes synchronously (libuv's UV_FILE): a regular file, or a character device that is not a terminal. */
function isFileLike(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFile() || (stat.isCharacterDevice() && !isatty(fd));
  } catch {
    return false; // no such descriptor: the stream reports it as it always has
  }
}
