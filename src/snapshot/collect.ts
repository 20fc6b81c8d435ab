/**
 * Collects a snapshot of the host it runs on, through an injected command runner (tests
 * run the commands inside a network namespace, or not at all). It only reads: every
 * command is a save, show, inspect or sysctl read. Whatever cannot be read is listed in
 * `missing` with the reason the command gave.
 */
import { parseRuleset } from "../ruleset/load.js";
import { kubeProxyMode } from "../kube/mode.js";
import type { Json } from "../host/json.js";
import { linesOf, SNAPSHOT_FORMAT, type DockerSection, type Missing, type Snapshot } from "./format.js";

/** What a command printed and its exit status, or why it could not run. */
export type CommandResult =
  | { readonly kind: "exited"; readonly status: number; readonly stdout: string; readonly stderr: string }
  /** The program is not installed (ENOENT), or could not be started at all. */
  | { readonly kind: "not-run"; readonly reason: string };

/** Runs a program without a shell and collects its output. */
export type CommandRunner = (argv: readonly string[]) => Promise<CommandResult>;

const BRIDGE_SYSCTLS = ["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables"];
/** Read with the sysctls, kept apart: it is an observation of the host, not a setting nfwalk applies. */
const CONNTRACK_COUNT = "net.netfilter.nf_conntrack_count";

class Collector {
  readonly missing: Missing[] = [];

  constructor(private readonly run: CommandRunner) {}

  /** A command's standard output, or null (and a `missing` entry) when it fails. */
  async text(what: string, argv: readonly string[]): Promise<string | null> {
    const result = await this.run(argv);
    if (result.kind === "exited" && result.status === 0) return result.stdout;
    this.missing.push({ what, reason: result.kind === "not-run" ? result.reason : failure(result.status, result.stderr) });
    return null;
  }

  async json(what: string, argv: readonly string[]): Promise<Json | null> {
    const text = await this.text(what, argv);
    if (text === null) return null;
    try {
      return JSON.parse(text) as Json;
    } catch (e) {
      this.missing.push({ what, reason: `its output is not JSON: ${e instanceof Error ? e.message : String(e)}` });
      return null;
    }
  }
}

function failure(status: number, stderr: string): string {
  const first = stderr
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim();
  return first === undefined ? `exited with status ${status}` : `${first} (exit status ${status})`;
}

/** Takes a snapshot of the host by running its tools through `run` (iptables-save, ip -json, sysctl, ipset, docker); what cannot be read is listed with the reason. */
export async function collectSnapshot(run: CommandRunner, now: Date): Promise<Snapshot> {
  const c = new Collector(run);
  const iptables = await c.text("iptables-save", ["iptables-save"]);
  const ip6tables = await c.text("ip6tables-save", ["ip6tables-save"]);
  const addr = await c.json("ip -json addr show", ["ip", "-json", "addr", "show"]);
  const route = await c.json("ip -json route show", ["ip", "-json", "route", "show"]);
  const route6 = await c.json("ip -6 -json route show", ["ip", "-6", "-json", "route", "show"]);
  const rule = await c.json("ip -json rule show", ["ip", "-json", "rule", "show"]);
  const { [CONNTRACK_COUNT]: entries, ...sysctls } = await collectSysctls(c, interfaceNames(addr));
  const ipset = await c.text("ipset save", ["ipset", "save"]);
  const docker = await collectDocker(c);
  const ruleset = iptables === null ? undefined : parseRuleset(iptables, { file: "iptables-save", family: "ipv4" });
  const mode = ruleset?.ok ? kubeProxyMode(ruleset.ruleset) : undefined;
  return {
    format: SNAPSHOT_FORMAT,
    taken: now.toISOString(),
    iptables: iptables === null ? null : linesOf(iptables),
    ip6tables: ip6tables === null ? null : linesOf(ip6tables),
    ip: { addr, route, route6, rule },
    sysctls,
    ipset: ipset === null ? null : linesOf(ipset),
    docker,
    conntrack: entries === undefined || !/^\d+$/.test(entries) ? null : { entries: Number(entries) },
    kubernetes: mode === undefined ? null : { kubeProxyMode: mode },
    missing: c.missing,
  };
}

function interfaceNames(addr: Json | null): string[] {
  if (!Array.isArray(addr)) return [];
  return addr.flatMap((entry) => (typeof entry === "object" && entry !== null && !Array.isArray(entry) && typeof entry["ifname"] === "string" ? [entry["ifname"]] : []));
}

/** The sysctls nfwalk reads (see src/host/sysctl.ts), per interface where the kernel has one per interface. */
async function collectSysctls(c: Collector, interfaces: readonly string[]): Promise<Record<string, string>> {
  // sysctl(8) names an interface with a dot in it with a slash: eth0.10 → eth0/10.
  const perInterface = ["all", ...interfaces.map((i) => i.replaceAll(".", "/"))].flatMap((i) => [`net.ipv4.conf.${i}.rp_filter`, `net.ipv4.conf.${i}.route_localnet`]);
  const names = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", ...perInterface, ...BRIDGE_SYSCTLS, CONNTRACK_COUNT];
  const output = await c.text("sysctl", ["sysctl", "-e", ...names]);
  const values: Record<string, string> = {};
  for (const line of (output ?? "").split("\n")) {
    const m = /^(\S+) = (.*)$/.exec(line);
    if (m) values[m[1]!] = m[2]!;
  }
  if (output !== null) {
    for (const name of BRIDGE_SYSCTLS.filter((n) => values[n] === undefined)) {
      c.missing.push({ what: name, reason: "not present: the br_netfilter module is not loaded, so bridged frames skip iptables (nfwalk takes 0)" });
    }
    if (values[CONNTRACK_COUNT] === undefined) {
      c.missing.push({ what: CONNTRACK_COUNT, reason: "not present: the nf_conntrack module is not loaded, so the host tracks no connection" });
    }
  }
  return values;
}

/** `docker inspect` of the running containers and every network, when a docker CLI reaches a daemon. */
async function collectDocker(c: Collector): Promise<DockerSection | null> {
  const ids = await c.text("docker", ["docker", "ps", "-q", "--no-trunc"]);
  if (ids === null) return null;
  const networks = await c.text("docker network ls", ["docker", "network", "ls", "-q", "--no-trunc"]);
  const inspect = async (what: string, argv: readonly string[], list: string | null): Promise<Json> => {
    const items = linesOf(list ?? "").filter((l) => l !== "");
    return items.length === 0 ? [] : ((await c.json(what, [...argv, ...items])) ?? []);
  };
  return {
    containers: await inspect("docker inspect", ["docker", "inspect"], ids),
    networks: await inspect("docker network inspect", ["docker", "network", "inspect"], networks),
  };
}
