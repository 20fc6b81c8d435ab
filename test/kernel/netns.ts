/**
 * Network namespaces as a test oracle: load a ruleset into a throwaway namespace and ask
 * the kernel (through iptables-nft) what it made of it. Nothing here touches the root
 * namespace's firewall; every command runs under `ip netns exec`.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export type Family = "ipv4" | "ipv6";

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type RestoreResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export type KernelAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface Netns {
  readonly name: string;
  /** Runs a command inside the namespace (no shell); `input` is written to its stdin. */
  exec(cmd: readonly string[], input?: string): Promise<ExecResult>;
  /** Loads a dump with iptables-restore / ip6tables-restore; a refusal is an answer, not an error. */
  restore(dump: string, family: Family): Promise<RestoreResult>;
  /** iptables-save / ip6tables-save output without its `#` comment lines. */
  save(family: Family): Promise<string>;
}

/** One table of an iptables-save text, counters removed. */
export interface SaveSection {
  /** `:CHAIN POLICY` lines, in order. */
  readonly chains: string[];
  /** `-A …` lines, in order. */
  readonly rules: string[];
}

const TOOLS: Readonly<Record<Family, { readonly restore: string; readonly save: string }>> = {
  ipv4: { restore: "iptables-restore", save: "iptables-save" },
  ipv6: { restore: "ip6tables-restore", save: "ip6tables-save" },
};

/*
 * IPv6 stays usable (later tests send IPv6 packets), but a namespace should not talk on
 * its own: router solicitations, autoconfiguration and duplicate address detection send
 * packets that move counters. `-e` skips keys a kernel booted without IPv6 lacks.
 */
const QUIET_SYSCTLS = [
  "net.ipv6.conf.all.accept_ra=0",
  "net.ipv6.conf.default.accept_ra=0",
  "net.ipv6.conf.all.autoconf=0",
  "net.ipv6.conf.default.autoconf=0",
  "net.ipv6.conf.all.accept_dad=0",
  "net.ipv6.conf.default.accept_dad=0",
  "net.ipv6.conf.default.router_solicitations=0",
];

let availability: KernelAvailability | undefined;

/** Whether this process can build namespaces and run iptables-nft in them; probed once. */
export function kernelAvailable(): KernelAvailability {
  availability ??= probeKernel();
  return availability;
}

function probeKernel(): KernelAvailability {
  if (process.platform !== "linux") return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: "not running as root" };
  for (const family of ["ipv4", "ipv6"] as const) {
    for (const tool of [TOOLS[family].restore, TOOLS[family].save]) {
      const version = spawnSync(tool, ["--version"], { encoding: "utf8" });
      if (version.error !== undefined || version.status !== 0) return { ok: false, reason: `${tool} is not usable` };
      // The legacy backend saves differently; the contract's reference is iptables-nft.
      if (!version.stdout.includes("nf_tables")) return { ok: false, reason: `${tool} is not the nf_tables variant` };
    }
  }
  const name = namespaceName();
  const add = spawnSync("ip", ["netns", "add", name], { encoding: "utf8" });
  if (add.error !== undefined || add.status !== 0) {
    return { ok: false, reason: `ip netns add failed: ${(add.stderr ?? String(add.error)).trim()}` };
  }
  spawnSync("ip", ["netns", "del", name]);
  return { ok: true };
}

/** Runs `fn` with a fresh, uniquely named namespace that is deleted afterwards, whatever happens. */
export async function withNamespace<T>(fn: (ns: Netns) => Promise<T>): Promise<T> {
  const name = namespaceName();
  await mustSucceed(["ip", "netns", "add", name]);
  try {
    const ns = new NamespaceHandle(name);
    await mustSucceed(["ip", "netns", "exec", name, "sysctl", "-q", "-e", "-w", ...QUIET_SYSCTLS]);
    return await fn(ns);
  } finally {
    await mustSucceed(["ip", "netns", "del", name]);
  }
}

/** `nfw-<pid>-<random>`: unique per run, and easy to find (and clean up) if a run is killed. */
export function namespaceName(): string {
  return `nfw-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** A handle on a namespace someone else created (and deletes), e.g. one of a multi-namespace topology. */
export function netnsHandle(name: string): Netns {
  return new NamespaceHandle(name);
}

class NamespaceHandle implements Netns {
  constructor(readonly name: string) {}

  exec(cmd: readonly string[], input?: string): Promise<ExecResult> {
    return run(["ip", "netns", "exec", this.name, ...cmd], input);
  }

  async restore(dump: string, family: Family): Promise<RestoreResult> {
    const result = await this.exec([TOOLS[family].restore], dump);
    if (result.code === 0) return { ok: true };
    return { ok: false, message: refusalMessage(result) };
  }

  async save(family: Family): Promise<string> {
    const tool = TOOLS[family].save;
    const result = await this.exec([tool]);
    if (result.code !== 0) throw new Error(`${tool} in ${this.name} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .join("\n");
  }
}

/** iptables' explanation without blank lines and its closing "Try `iptables-restore -h' …" pointer. */
function refusalMessage(result: ExecResult): string {
  const lines = (result.stderr.trim() || result.stdout.trim()).split("\n").filter((line) => line.trim() !== "" && !line.startsWith("Try `"));
  return lines.join("\n") || `exit code ${result.code}`;
}

/** Runs a command in a namespace and returns its output; a non-zero exit throws. */
export async function mustExec(ns: Netns, cmd: readonly string[], input?: string): Promise<ExecResult> {
  const result = await ns.exec(cmd, input);
  if (result.code !== 0) throw new Error(`${cmd.join(" ")} in ${ns.name} failed (${result.code}): ${result.stderr.trim()}`);
  return result;
}

/** One end of a veth pair: the namespace it is created in, its name there and its MAC address. */
export interface VethEnd {
  readonly netns: string;
  readonly name: string;
  readonly mac: string;
}

/** A veth pair created straight inside two namespaces (the names only have to be unique there). */
export async function addVethPair(a: VethEnd, b: VethEnd): Promise<void> {
  await mustSucceed(["ip", "link", "add", "name", a.name, "netns", a.netns, "address", a.mac, "type", "veth", "peer", "name", b.name, "netns", b.netns, "address", b.mac]);
}

export async function mustSucceed(cmd: readonly string[]): Promise<void> {
  const result = await run(cmd);
  if (result.code !== 0) throw new Error(`${cmd.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
}

/** Runs a program (no shell) and collects its output; never rejects for a non-zero exit. */
export function run(cmd: readonly string[], input?: string): Promise<ExecResult> {
  const [program, ...args] = cmd;
  if (program === undefined) return Promise.reject(new Error("empty command"));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // A command that exits without reading all its input must not turn into an EPIPE crash.
    child.stdin.on("error", () => {});
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8") + (signal === null ? "" : `killed by ${signal}`),
      }),
    );
    child.stdin.end(input ?? "");
  });
}

const COUNTERS = /^\[\d+:\d+\]\s*/;
const TRAILING_COUNTERS = /\s*\[\d+:\d+\]$/;

/**
 * Splits iptables-save text into its tables, so two dumps can be compared per table and
 * chain with counters and `#` lines aside. Any other line inside a table is kept with the
 * rules, so that a comparison shows it instead of silently dropping it.
 */
export function saveSections(text: string): Map<string, SaveSection> {
  const sections = new Map<string, SaveSection>();
  let current: SaveSection | undefined;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) {
      current = { chains: [], rules: [] };
      sections.set(line.slice(1), current);
    } else if (line === "COMMIT") {
      current = undefined;
    } else if (current === undefined) {
      throw new Error(`line outside a table: ${line}`);
    } else if (line.startsWith(":")) {
      current.chains.push(line.replace(TRAILING_COUNTERS, ""));
    } else {
      current.rules.push(line.replace(COUNTERS, ""));
    }
  }
  return sections;
}
