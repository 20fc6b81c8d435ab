/**
 * The TypeScript side of helper.py: one long-running python process per namespace, so
 * scapy is imported once per topology instead of once per packet. Commands go out as
 * JSON lines and are answered in order.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const SCRIPT = fileURLToPath(new URL("./helper.py", import.meta.url));

/** How long a helper may take to import scapy and open its sockets. */
const START_TIMEOUT_MS = 15_000;
/** Every command is a few system calls; anything slower means the helper is stuck. */
const COMMAND_TIMEOUT_MS = 5_000;

/** The fields helper.py reads to build a packet (see `build` there). */
export interface WirePacket {
  readonly kind: string;
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  readonly id: number;
  readonly ttl: number;
  readonly tos: number;
  readonly length: number;
  readonly frag: number;
  readonly headerLength: number;
  readonly sport?: number;
  readonly dport?: number;
  readonly flags?: number;
  readonly type?: number;
  readonly code?: number;
}

/** An IPv4 header as a helper saw it; `at` says whether on the wire or delivered to a socket. */
export interface SeenHeader {
  readonly at: "capture" | "deliver";
  readonly id: number;
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  readonly ttl: number;
  readonly tos: number;
  readonly sport?: number;
  readonly dport?: number;
  readonly flags?: number;
  readonly type?: number;
  readonly code?: number;
}

export type SendResult = { readonly ok: true } | { readonly ok: false; readonly errno?: number; readonly error: string };

export type SendCommand = { readonly mode: "l2"; readonly srcMac: string; readonly dstMac: string; readonly packet: WirePacket } | { readonly mode: "local"; readonly packet: WirePacket };

export interface HelperOptions {
  /** Interface whose arriving frames the helper watches (and l2 packets leave by). */
  readonly capture?: string;
  /** Watch local delivery with raw sockets. */
  readonly deliver?: boolean;
  /** Socket mark of locally sent packets. */
  readonly mark: number;
}

export class Helper {
  private readonly pending: { resolve: (answer: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  private readonly stderr: string[] = [];
  private exited = false;

  private constructor(
    private readonly label: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString("utf8")));
    child.stdin.on("error", () => {});
    child.on("close", () => {
      this.exited = true;
      for (const p of this.pending.splice(0)) p.reject(this.failure("exited"));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      const next = this.pending.shift();
      if (next === undefined) return;
      try {
        next.resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        next.reject(this.failure(`answered ${JSON.stringify(line)}`));
      }
    });
  }

  /** Starts helper.py in namespace `netns` and waits until it is ready. */
  static async start(python: string, netns: string, options: HelperOptions): Promise<Helper> {
    const args = ["netns", "exec", netns, python, SCRIPT, "--mark", String(options.mark)];
    if (options.capture !== undefined) args.push("--capture", options.capture);
    if (options.deliver === true) args.push("--deliver");
    const helper = new Helper(netns, spawn("ip", args, { stdio: ["pipe", "pipe", "pipe"] }));
    try {
      await helper.answer(START_TIMEOUT_MS);
    } catch (e) {
      helper.stop();
      throw e;
    }
    return helper;
  }

  async prepare(id: number, protocol: number): Promise<void> {
    await this.command({ op: "prepare", id, protocol });
  }

  async send(command: SendCommand): Promise<SendResult> {
    const answer = await this.request({ op: "send", ...command });
    if (answer.ok === true) return { ok: true };
    const errno = typeof answer.errno === "number" ? answer.errno : undefined;
    return { ok: false, error: String(answer.error), ...(errno !== undefined && { errno }) };
  }

  async collect(id: number): Promise<SeenHeader[]> {
    return (await this.command({ op: "collect", id })).seen as SeenHeader[];
  }

  /** Runs an nft script in the helper's namespace (through libnftables) and returns what it printed. */
  async nft(script: string): Promise<string> {
    return String((await this.command({ op: "nft", script })).output);
  }

  /** Empties the namespace's IPv4 conntrack table, as `conntrack -F` does. */
  async flushConntrack(): Promise<void> {
    await this.command({ op: "flush-conntrack" });
  }

  /** Ends the helper: closing stdin ends its loop; a kill (by its own pid) backs that up. */
  stop(): void {
    this.child.stdin.end();
    if (!this.exited && this.child.pid !== undefined) {
      const pid = this.child.pid;
      setTimeout(() => {
        if (!this.exited) process.kill(pid, "SIGKILL");
      }, 1_000).unref();
    }
  }

  /** Resolves once the helper has exited (it must have been stopped). */
  exit(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.child.once("close", () => resolve()));
  }

  private async command(message: object): Promise<Record<string, unknown>> {
    const answer = await this.request(message);
    if (answer.ok !== true) throw this.failure(`failed: ${String(answer.error)}`);
    return answer;
  }

  private request(message: object): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(this.failure("exited"));
    const answer = this.answer(COMMAND_TIMEOUT_MS);
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    return answer;
  }

  private answer(timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const entry = {
        resolve: (answer: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        // A late answer would be taken for the next command's: the helper is unusable now.
        this.stop();
        entry.reject(this.failure(`did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.push(entry);
    });
  }

  private failure(what: string): Error {
    const stderr = this.stderr.join("").trim();
    return new Error(`conformance helper in ${this.label} ${what}${stderr === "" ? "" : `:\n${stderr}`}`);
  }
}
