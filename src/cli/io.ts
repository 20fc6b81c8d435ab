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
