import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an nfwalk command in memory over a map of file contents. */
export async function runCli(argv: readonly string[], files: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
      return true;
    },
    drained: async () => {},
    stderr: (t) => (stderr += t),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return text;
    },
    isTTY: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
