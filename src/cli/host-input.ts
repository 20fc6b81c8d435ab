/**
 * The host and the rules a command works on, from separate files (`--rules`, `--addr`,
 * `--route`, `--sysctl`) or from a snapshot (`--host FILE`, written by `nfwalk snapshot`),
 * the separate flags overriding the snapshot's parts.
 */
import type { Command } from "commander";
import {
  conntrackUser,
  defaultHost,
  parseIpAddr,
  parseIpRoute,
  parseIpsetSave,
  parseRuleset,
  parseSnapshot,
  parseSysctls,
  SourceText,
  warning,
  type ConntrackAssumption,
  type Diagnostic,
  type DockerInventory,
  type Family,
  type Host,
  type Interface,
  type IpsetContents,
  type LoadedSnapshot,
  type Parsed,
  type Route,
  type Ruleset,
} from "../index.js";
import { orFail, printDiagnostics, loadRules, readInput, sourceOf, UsageError } from "./input.js";
import type { CliIO } from "./io.js";
import { loadDockerInventory, type DockerOptions } from "./docker-input.js";

export interface HostOptions {
  readonly addr?: string;
  readonly route?: string;
  readonly sysctl: readonly string[];
}

export interface HostAndRulesOptions extends HostOptions, DockerOptions {
  /** An iptables-save / ip6tables-save dump. */
  readonly rules?: string;
  /** A snapshot file (`nfwalk snapshot`). */
  readonly host?: string;
  /** `ipset save` output, for -m set (overrides the snapshot's). */
  readonly ipset?: string;
}

export interface HostAndRules {
  readonly ruleset: Ruleset;
  readonly host: Host;
  /** The snapshot's `ipset save`, read; undefined without a snapshot or when it has none. */
  readonly ipsets: IpsetContents | undefined;
  /** The snapshot `--host` named. */
  readonly snapshot: LoadedSnapshot | undefined;
  /** Docker's names for containers and networks, from `--docker-inspect`/`--docker-networks` or the snapshot. */
  readonly docker: DockerInventory | undefined;
  /** Conntrack on although the rules need none, as the snapshot's host showed it (see snapshotConntrack). */
  readonly conntrack: ConntrackAssumption | undefined;
}

/**
 * Everything a command needs about the host: the rules (`--rules`, else the snapshot's
 * iptables-save, or its ip6tables-save for `family` ipv6), the host (`--addr`/`--route`,
 * else the snapshot's `ip -json` output, else the default host built around the rules) and
 * the sysctls (the snapshot's, then `--sysctl` over them), and Docker's names for containers and
 * networks (docker-input.ts). Problems are printed and thrown as UsageError, like loadRules.
 */
export async function loadHostAndRules(io: CliIO, options: HostAndRulesOptions, family?: Family): Promise<HostAndRules> {
  if (options.rules === undefined && options.host === undefined) {
    throw new UsageError("say which rules: --rules FILE (an iptables-save dump) or --host FILE (a snapshot from `nfwalk snapshot`)");
  }
  const snapshot = options.host === undefined ? undefined : await loadSnapshot(io, options.host);
  const ruleset = options.rules !== undefined ? (await loadRules(io, options.rules, family)).ruleset : snapshotRules(io, snapshot!, family ?? "ipv4");
  const host = snapshot === undefined ? await loadHost(io, ruleset, options) : await snapshotHost(io, snapshot, options);
  const ipsets = options.ipset !== undefined ? await ipsetFile(io, options.ipset) : snapshot && snapshotIpsets(io, snapshot);
  const docker = await loadDockerInventory(io, options, snapshot);
  const conntrack = snapshot && options.rules === undefined ? snapshotConntrack(snapshot, ruleset) : undefined;
  return { ruleset, host, ipsets, snapshot, docker, conntrack };
}

/**
 * A snapshot's host that was tracking connections while none of its rules needs conntrack
 * has something else that does (an nft table, IPVS, Open vSwitch): conntrack is on there.
 * Unless the other family's rules need it, which explains the entries as well (the count
 * holds both families): then the rules decide.
 */
function snapshotConntrack(snapshot: LoadedSnapshot, ruleset: Ruleset): ConntrackAssumption | undefined {
  const entries = snapshot.snapshot.conntrack?.entries;
  if (entries === undefined || entries === 0 || conntrackUser(ruleset)) return undefined;
  const otherFamily: Family = ruleset.family === "ipv4" ? "ipv6" : "ipv4";
  const other = snapshot.text(otherFamily === "ipv4" ? "iptables" : "ip6tables");
  const otherRules = other && parseRuleset(other.text, { file: snapshot.file, family: otherFamily });
  if (otherRules?.ok && conntrackUser(otherRules.ruleset)) return undefined;
  return { on: true, source: `${snapshot.file}: the host was tracking ${entries} connection${entries === 1 ? "" : "s"}, so something outside these rules needs it` };
}

async function ipsetFile(io: CliIO, path: string): Promise<IpsetContents> {
  const source = await readInput(io, path, "ipset");
  return orFail(io, parseIpsetSave(source.text, path), source, path);
}

/** The host from `--addr`/`--route`/`--sysctl`, or the default host built around the dump. */
export async function loadHost(io: CliIO, ruleset: Ruleset, options: HostOptions): Promise<Host> {
  const sysctls = orFail(io, parseSysctls(options.sysctl), new SourceText("--sysctl", ""), "--sysctl");
  if (options.addr === undefined && options.route === undefined) return defaultHost(ruleset, sysctls);
  if (options.addr === undefined || options.route === undefined) {
    throw new UsageError("--addr and --route go together: the addresses say what is local, the routes where the rest goes");
  }
  return { interfaces: await addrFile(io, options.addr), routes: await routeFile(io, options.route), sysctls, origin: { kind: "files" } };
}

export async function loadSnapshot(io: CliIO, path: string): Promise<LoadedSnapshot> {
  const source = await readInput(io, path, "snapshot");
  return orFail(io, parseSnapshot(source.text, path), source, path);
}

/** The snapshot's iptables-save (ipv4) or ip6tables-save (ipv6) as a ruleset; line numbers are the dump's. */
export function snapshotRules(io: CliIO, snapshot: LoadedSnapshot, family: Family): Ruleset {
  const section = family === "ipv4" ? "iptables" : "ip6tables";
  const embedded = snapshot.text(section);
  if (embedded === undefined) {
    const why = snapshot.snapshot.missing.find((m) => m.what === `${section}-save`)?.reason ?? "not collected";
    throw new UsageError(`${snapshot.file}: the snapshot has no ${section}-save output (${why}); give the rules with --rules FILE`);
  }
  const result = parseRuleset(embedded.text, { file: snapshot.file, family });
  printDiagnostics(
    io,
    result.diagnostics.map((d) => embedded.relocate(d)),
    sourceOf(snapshot),
  );
  if (!result.ok) throw new UsageError(`${snapshot.file}: its ${section}-save output cannot be loaded`);
  return result.ruleset;
}

async function snapshotHost(io: CliIO, snapshot: LoadedSnapshot, options: HostOptions): Promise<Host> {
  const source = sourceOf(snapshot);
  const { file, snapshot: s } = snapshot;
  const assignments = Object.entries(s.sysctls).map(([name, value]) => `${name}=${value}`);
  const sysctls = orFail(io, parseSysctls([...assignments, ...options.sysctl]), new SourceText("--sysctl", ""), `${file} "sysctls" or --sysctl`);
  const fromSnapshot = <T>(section: "addr" | "route" | "route6", parse: (text: string, file: string) => Parsed<T[]>): T[] => {
    const text = snapshot.ipJson(section);
    return text === undefined ? [] : orFail(io, parse(text, file), source, file);
  };
  const addrText = snapshot.ipJson("addr");
  if (options.addr === undefined && addrText === undefined) {
    throw new UsageError(`${file}: the snapshot has no \`ip -json addr\` output; give it with --addr FILE`);
  }
  const interfaces: Interface[] = options.addr !== undefined ? await addrFile(io, options.addr) : fromSnapshot("addr", parseIpAddr);
  const routes: Route[] = options.route !== undefined ? await routeFile(io, options.route) : [...fromSnapshot("route", parseIpRoute), ...fromSnapshot("route6", parseIpRoute)];
  warnPolicyRouting(io, snapshot);
  return { interfaces, routes, sysctls, origin: { kind: "files" } };
}

/** The kernel's own rules (local, main, default); anything else routes by tables nfwalk does not read. */
function warnPolicyRouting(io: CliIO, snapshot: LoadedSnapshot): void {
  const rules = snapshot.snapshot.ip.rule;
  if (!Array.isArray(rules)) return;
  const extra = rules.filter((r) => typeof r === "object" && r !== null && !Array.isArray(r) && !["local", "main", "default"].includes(String(r["table"])));
  if (extra.length > 0)
    io.stderr(`nfwalk: ${snapshot.file}: warning: ${extra.length} policy routing rule${extra.length === 1 ? "" : "s"} (ip rule) beyond the default ones; nfwalk routes by the main table only\n`);
}

function snapshotIpsets(io: CliIO, snapshot: LoadedSnapshot): IpsetContents | undefined {
  const embedded = snapshot.text("ipset");
  if (embedded === undefined) return undefined;
  const parsed = parseIpsetSave(embedded.text, snapshot.file);
  if (parsed.ok) return parsed.value;
  // The rules do not depend on it: say what is wrong and go on without the sets.
  const relocated: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...embedded.relocate(d), severity: "warning" }));
  printDiagnostics(io, [...relocated, warning("ipset-ignored", `${snapshot.file}: its ipset save output is not used; -m set matches stay unknown`)], sourceOf(snapshot));
  return undefined;
}

async function addrFile(io: CliIO, path: string): Promise<Interface[]> {
  const source = await readInput(io, path, "ip-json");
  return orFail(io, parseIpAddr(source.text, path), source, path);
}

async function routeFile(io: CliIO, path: string): Promise<Route[]> {
  const source = await readInput(io, path, "ip-json");
  return orFail(io, parseIpRoute(source.text, path), source, path);
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The flags every command that reads a host takes: the rules, a snapshot, the host's files and sysctls, ipsets, Docker's metadata. */
export function hostOptions(command: Command): Command {
  return command
    .option("--rules <file>", "iptables-save dump (overrides the snapshot's)")
    .option("--host <file>", "a snapshot from `nfwalk snapshot`: rules, addresses, routes, sysctls, ipsets and Docker's inspect output")
    .option("--addr <file>", "the host's `ip -json addr show` output")
    .option("--route <file>", "the host's `ip -json route show` output (main table)")
    .option("--sysctl <name=value>", "a sysctl, e.g. net.ipv4.ip_forward=0 (repeatable)", collect, [])
    .option("--ipset <file>", "the host's `ipset save` output, so -m set can be decided")
    .option("--docker-inspect <file>", "`docker inspect` output of the containers, to name them (overrides the snapshot's)")
    .option("--docker-networks <file>", "`docker network inspect` output of the networks, to name them and their bridges (overrides the snapshot's)");
}
