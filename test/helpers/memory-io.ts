import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { checkedText } from "../../src/cli/read-text.js";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** File contents by path: text, or bytes (what is not UTF-8 text). */
export type Files = Readonly<Record<string, string | Uint8Array>>;

/** Runs an nfwalk command in memory over a map of file contents, checked and limited as files on disk are. */
export async function runCli(argv: readonly string[], files: Files = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
      return true;
    },
    drained: async () => {},
    stderr: (t) => (stderr += t),
    readFile: async (path, maxBytes) => fileText(files, path, maxBytes),
    // Three lines a piece: every command reads its dump across piece boundaries.
    readPieces: async (path, maxBytes) => inPieces(fileText(files, path, maxBytes), 3),
    colour: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

function fileText(files: Files, path: string, maxBytes: number): string {
  const content = Object.hasOwn(files, path) ? files[path] : undefined;
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  return checkedText(content, maxBytes);
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
