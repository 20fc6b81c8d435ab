/**
 * `nfwalk snapshot [-o FILE]`: reads the live host (rules, addresses, routes, sysctls,
 * ipsets, Docker) into one file `--host` takes. It changes nothing on the host. What it
 * cannot read is listed on stderr and in the file's `missing`.
 */
import type { Command } from "commander";
import { collectSnapshot, writeSnapshot, type CommandResult, type CommandRunner } from "../index.js";
import { UsageError } from "./input.js";
import { EXIT, type CliIO } from "./io.js";

/** What `snapshot` needs from the machine, injected so tests can run it against a namespace or a fake. */
export interface SnapshotEnv {
  readonly run: CommandRunner;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  readonly now: () => Date;
  /** Whether the process runs as root; only to explain what follows when it does not. */
  readonly isRoot: boolean;
}

/** Runs a program directly (no shell), for at most a minute and 256 MiB of output. */
export function execRunner(prefix: readonly string[] = []): CommandRunner {
  return async (argv) => {
    // Loaded here, not with the command line: every other command would pay for loading it.
    const { execFile } = await import("node:child_process");
    return new Promise<CommandResult>((resolve) => {
      const [program, ...args] = [...prefix, ...argv];
      execFile(program!, args, { maxBuffer: 256 << 20, timeout: 60_000, encoding: "utf8" }, (err, stdout, stderr) => {
        const code: unknown = err?.code;
        if (err === null || typeof code === "number") resolve({ kind: "exited", status: typeof code === "number" ? code : 0, stdout, stderr });
        else resolve({ kind: "not-run", reason: code === "ENOENT" ? `${argv[0]} is not installed` : err.message });
      });
    });
  };
}

export function nodeSnapshotEnv(): SnapshotEnv {
  return { run: execRunner(), writeFile: async (path, text) => (await import("node:fs/promises")).writeFile(path, text, "utf8"), now: () => new Date(), isRoot: process.getuid?.() === 0 };
}

export function registerSnapshot(program: Command, io: CliIO, setExit: (code: number) => void, env: SnapshotEnv): void {
  program
    .command("snapshot")
    .description("read this host's rules, addresses, routes, sysctls, ipsets and Docker state into one file for --host (changes nothing)")
    .option("-o, --output <file>", "write the snapshot here instead of standard output")
    .action(async (options: { output?: string }) => {
      if (!env.isRoot) io.stderr("nfwalk snapshot: not running as root: iptables-save, ip6tables-save and ipset need root and will be missing\n");
      const snapshot = await collectSnapshot(env.run, env.now());
      for (const m of snapshot.missing) io.stderr(`nfwalk snapshot: missing ${m.what}: ${m.reason}\n`);
      const text = writeSnapshot(snapshot);
      if (options.output === undefined) io.stdout(text);
      else {
        await env.writeFile(options.output, text).catch((e: unknown) => {
          throw new UsageError(`${options.output}: cannot write: ${e instanceof Error ? e.message : String(e)}`);
        });
        io.stderr(
          `nfwalk snapshot: wrote ${options.output}${snapshot.missing.length > 0 ? ` (${snapshot.missing.length} part${snapshot.missing.length === 1 ? "" : "s"} missing, listed in "missing")` : ""}\n`,
        );
      }
      setExit(EXIT.ok);
    });
}
