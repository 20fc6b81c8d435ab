/** The outside world of a command, injected so tests can run commands in memory. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file, or standard input for `-`. */
  readonly readFile: (path: string) => Promise<string>;
  /** Whether stdout is a terminal (for colour). */
  readonly isTTY: boolean;
}

/** The documented exit codes (../shared/spec/interface.md). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, undetermined: 3 } as const;

/**
 * Gathers text and hands it to `write` in pieces of some tens of kilobytes:
 * one write per trace of a batch would cost a system call each.
 */
export function bufferedWriter(write: (text: string) => void): { write(text: string): void; flush(): void } {
  let pending = "";
  return {
    write(text) {
      pending += text;
      if (pending.length >= PIECE) {
        write(pending);
        pending = "";
      }
    },
    flush() {
      if (pending.length > 0) write(pending);
      pending = "";
    },
  };
}

const PIECE = 64 * 1024;
