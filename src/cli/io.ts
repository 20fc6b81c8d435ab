/** The outside world of a command, injected so tests can run commands in memory. */
export interface CliIO {
  /** Writes to standard output; false when the reader is behind (a slow pipe): await `drained` before writing more. */
  readonly stdout: (text: string) => boolean;
  readonly drained: () => Promise<void>;
  readonly stderr: (text: string) => void;
  /**
   * Reads a file, or standard input for `-`, as text; throws InputRefused (text-check.ts) for what is not
   * text and InputTooLarge beyond `maxBytes`, having read no more than that.
   */
  readonly readFile: (path: string, maxBytes: number) => Promise<string>;
  /** The same text in pieces that end with a line break (but the last): a large dump is never one buffer and one string. */
  readonly readPieces: (path: string, maxBytes: number) => Promise<readonly string[]>;
  /** `--max-input`: the size limit for every input, instead of each kind's own (input.ts). */
  readonly maxInput?: number;
  /** `--verbose`: print every warning, where many are otherwise summarised. */
  readonly verbose?: boolean;
  /** Whether to colour standard output: it is a terminal and NO_COLOR is not set (see wantsColour). */
  readonly colour: boolean;
}

/**
 * Colour only for a person at a terminal, and never when NO_COLOR is set to anything but
 * the empty string (https://no-color.org): a pipe or file gets the plain text.
 */
export function wantsColour(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && (env["NO_COLOR"] ?? "") === "";
}

/** The documented exit codes (../shared/spec/interface.md). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, undetermined: 3 } as const;

/**
 * Writes texts to standard output in pieces of some tens of kilobytes (a
 * system call per line or per trace would cost more than making it), waiting
 * whenever the reader falls behind: however large the output, only a piece
 * of it is held in memory.
 */
export async function writeOut(io: CliIO, texts: Iterable<string>): Promise<void> {
  let pending = "";
  for (const text of texts) {
    pending += text;
    if (pending.length >= PIECE) {
      const ready = io.stdout(pending);
      pending = "";
      if (!ready) await io.drained();
    }
  }
  if (pending.length > 0 && !io.stdout(pending)) await io.drained();
}

const PIECE = 64 * 1024;
