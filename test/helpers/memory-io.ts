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
    readFile: async (path) => fileText(files, path),
    // Three lines a piece: every command reads its dump across piece boundaries.
    readPieces: async (path) => inPieces(fileText(files, path), 3),
    colour: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

function fileText(files: Readonly<Record<string, string>>, path: string): string {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  return text;
}

/** The text cut after every `lines` line breaks, as CliIO.readPieces gives it. */
export function inPieces(text: string, lines: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n" && ++breaks % lines === 0) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}
