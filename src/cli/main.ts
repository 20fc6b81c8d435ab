/**
 * The nfwalk command line: a thin shell over the library. Commands get their
 * input and output through CliIO so tests run them in memory.
 */
import { Command, CommanderError } from "commander";
import { registerFmt } from "./fmt.js";
import { registerTrace } from "./trace.js";
import { registerDiff, registerReach } from "./reach.js";
import { registerWhy } from "./why.js";
import { registerCheck } from "./check.js";
import { registerPorts } from "./ports.js";
import { registerPlayground } from "./playground.js";
import { registerLint } from "./lint.js";
import { nodeSnapshotEnv, registerSnapshot, type SnapshotEnv } from "./snapshot.js";
import { describeLimits, UsageError } from "./input.js";
import { parseSize } from "./text-check.js";
import { printable, printableKeepingColour } from "../index.js";
import { EXIT, wantsColour, type CliIO } from "./io.js";
import { readText, readTextPieces } from "./read-text.js";
import { fileWriter } from "./stdout.js";
import { packageVersion } from "./version.js";

export function nodeIO(): CliIO {
  // A reader that stops early (`nfwalk fmt big | head`) ends the output, as SIGPIPE ends other tools; Node
  // ignores SIGPIPE and would report the failed write with a stack trace instead. Any other failed write
  // (a full disk) is said in one line.
  const failed = (e: NodeJS.ErrnoException): never => {
    if (e.code === "EPIPE") process.exit(SIGPIPE_EXIT);
    process.stderr.write(`nfwalk: cannot write the output: ${e.message}\n`);
    process.exit(IO_ERROR_EXIT);
  };
  process.stdout.on("error", failed);
  // Errors cannot be said when standard error itself fails (`2>/dev/full`, a closed pipe): the exit code still says
  // what happened, instead of the failed write ending the process with exit 1.
  process.stderr.on("error", () => {});
  // At a terminal, what a file holds (a rule's comment, an interface name) is shown with its control characters
  // escaped; into a pipe or a file the output stays exact (`nfwalk fmt` output must load as it was). A file is
  // written without the stream (stdout.ts).
  const terminal = process.stdout.isTTY === true;
  return {
    stdout: fileWriter(STDOUT, failed) ?? ((text) => process.stdout.write(terminal ? printableKeepingColour(text) : text)),
    drained: () => new Promise((resolve) => process.stdout.once("drain", resolve)),
    stderr: (text) => process.stderr.write(text),
    readFile: readText,
    readPieces: readTextPieces,
    colour: wantsColour(process.stdout.isTTY === true, process.env),
  };
}

/** Characters of one line of an error message shown at most: a megabyte-long value is cut in the middle. */
const MAX_ERROR_LINE = 400;

function boundedLines(text: string): string {
  if (text.length <= MAX_ERROR_LINE) return text;
  return text
    .split("\n")
    .map((line) => (line.length <= MAX_ERROR_LINE ? line : `${line.slice(0, MAX_ERROR_LINE / 2)}… (${line.length - MAX_ERROR_LINE / 2 - 40} characters left out) …${line.slice(-40)}`))
    .join("\n");
}

const STDOUT = 1;
/** What a shell reports for a process ended by SIGPIPE (128 + 13). */
const SIGPIPE_EXIT = 141;
/** EX_IOERR of sysexits.h. */
const IO_ERROR_EXIT = 74;

/** Runs nfwalk with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], outside: CliIO, snapshotEnv: SnapshotEnv = nodeSnapshotEnv()): Promise<number> {
  let exitCode: number = EXIT.ok;
  let maxInput: number | undefined;
  let verbose = false;
  const io: CliIO = {
    ...outside,
    stderr: (text) => outside.stderr(boundedLines(printable(text))),
    get maxInput() {
      return maxInput;
    },
    get verbose() {
      return verbose;
    },
  };
  const program = new Command("nfwalk")
    .description("walk a packet through an iptables ruleset the way the Linux kernel does")
    .version(packageVersion(), "--version", "print nfwalk's version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError(false)
    .option("--max-input <size>", `the size limit for every input file, e.g. 512M or 2G (by default: ${describeLimits()})`)
    .option("--verbose", "print every warning (by default a few of each kind and a count when there are many)")
    .hook("preAction", (_program, command) => {
      verbose = command.optsWithGlobals()["verbose"] === true;
      const size = command.optsWithGlobals()["maxInput"] as string | undefined;
      if (size === undefined) return;
      maxInput = parseSize(size);
      if (maxInput === undefined) throw new UsageError(`--max-input "${size}": expected a size such as 512M, 2G or a number of bytes`);
    });
  const setExit = (code: number) => (exitCode = code);
  registerFmt(program, io, setExit);
  registerTrace(program, io, setExit);
  registerReach(program, io, setExit);
  registerDiff(program, io, setExit);
  registerWhy(program, io, setExit);
  registerCheck(program, io, setExit);
  registerPorts(program, io, setExit);
  registerPlayground(program, io, setExit);
  registerLint(program, io, setExit);
  registerSnapshot(program, io, setExit, snapshotEnv);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message !== "") io.stderr(`nfwalk: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof CommanderError) {
      // Help and version are successes; everything else is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    throw e;
  }
}
