/**
 * What an input must be before any parser sees it: text of a bounded size. The bytes are
 * checked as they arrive, so `/dev/zero` is refused at its first byte and a pipe that never
 * ends at the size limit.
 */

/** Why an input was refused, with the 1-based line and column when there is one. */
export class InputRefused extends Error {
  constructor(
    message: string,
    readonly at?: { readonly line: number; readonly column: number },
  ) {
    super(message);
  }
}

/** An input beyond its size limit; the reader says which limit. */
export class InputTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${formatSize(maxBytes)}`);
  }
}

const NEWLINE = 0x0a;
const MB = 1 << 20;

/** What was read before a chunk, in order: the reader's pieces (text or bytes), searched only when a refusal needs a line. */
export type Earlier = () => Iterable<string | Uint8Array>;

export class TextCheck {
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Refuses a size beyond the limit (a regular file's, known before reading). */
  size(bytes: number): void {
    if (bytes > this.maxBytes) throw new InputTooLarge(this.maxBytes);
  }

  /** The next bytes read, after `earlier`. */
  take(chunk: Uint8Array, earlier: Earlier): void {
    if (this.bytes === 0) this.checkStart(chunk);
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      throw new InputRefused("a NUL byte: binary data or UTF-16 text, not text iptables-save or ip -json prints", endPosition([...earlier(), chunk.subarray(0, nul)]));
    }
    this.size(this.bytes + chunk.length);
    this.bytes += chunk.length;
  }

  /** Byte order marks: iptables-restore takes neither (it fails on line 1), and `ip -json` prints none. */
  private checkStart(chunk: Uint8Array): void {
    const [a, b, c] = chunk;
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
      throw new InputRefused("UTF-16 text: iptables-restore reads ASCII or UTF-8 (convert it: iconv -f UTF-16 -t UTF-8)", { line: 1, column: 1 });
    }
    if (a === 0xef && b === 0xbb && c === 0xbf) {
      throw new InputRefused('a UTF-8 byte order mark, which iptables-restore refuses ("line 1 failed"): save the file without it', { line: 1, column: 1 });
    }
  }
}

const nextBreak = (piece: string | Uint8Array, from: number): number => (typeof piece === "string" ? piece.indexOf("\n", from) : piece.indexOf(NEWLINE, from));

/** The line and column just after the pieces (counting lines only here keeps reading a large file fast). */
function endPosition(pieces: Iterable<string | Uint8Array>): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (const piece of pieces) {
    let last = -1;
    for (let at = nextBreak(piece, 0); at !== -1; at = nextBreak(piece, at + 1)) {
      line++;
      last = at;
    }
    column = last === -1 ? column + piece.length : piece.length - last;
  }
  return { line, column };
}

/** 64 MB, 1.5 GB, 900 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1 << 30) return `${+(bytes / (1 << 30)).toFixed(1)} GB`;
  if (bytes >= MB) return `${+(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** `--max-input`'s SIZE: bytes, or a number with K, M or G (powers of 1024, an optional B). */
export function parseSize(text: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { "": 1, k: 1024, m: MB, g: 1 << 30 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
