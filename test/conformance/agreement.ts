/**
 * The comparison at the heart of the conformance suite: the kernel's answer
 * for one packet against nfwalk's trace of the same packet on a host read
 * from the same namespace. Every difference is reported as a minimal,
 * reproducible case: ruleset, packet, the kernel's answer, nfwalk's.
 */
import { parseRuleset } from "../../src/index.js";
import { tracePacket } from "../../src/engine/pipeline.js";
import { parseIpAddr, parseIpRoute, parseSysctls, type Host } from "../../src/host/index.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { traceJson } from "../../src/trace/json.js";
import type { CountedPolicy, CountedRule } from "./counters.js";
import { kernelAnswer, type KernelAnswer, type Origin } from "./oracle.js";
import { afterAll, beforeAll } from "vitest";
import type { ConformanceAvailability } from "./available.js";
import { buildTopology, type Topology, type TopologyOptions } from "./topology.js";

export interface Case {
  readonly rules: string;
  readonly packet: string;
  readonly origin: Origin;
  /** Host sysctls for this packet, as `--sysctl` takes them (net.ipv4.ip_forward=0). */
  readonly sysctl?: readonly string[];
}

export interface Verdict {
  readonly agree: boolean;
  readonly differences: readonly string[];
  readonly kernel: KernelAnswer;
  readonly nfwalk: object;
}

/** The host as `ip -json` sees it in the topology's host namespace, read once. */
export async function hostOf(topology: Topology, sysctl: readonly string[] = []): Promise<Host> {
  const ns = topology.namespaces.host;
  const addr = await ns.exec(["ip", "-json", "addr", "show"]);
  const route = await ns.exec(["ip", "-json", "route", "show"]);
  const interfaces = parseIpAddr(addr.stdout, "ip-addr.json");
  const routes = parseIpRoute(route.stdout, "ip-route.json");
  const sysctls = parseSysctls(sysctl);
  if (!interfaces.ok || !routes.ok || !sysctls.ok) throw new Error("cannot read the topology's host");
  return { interfaces: interfaces.value, routes: routes.value, sysctls: sysctls.value, origin: { kind: "files" } };
}

/** Runs one case through the kernel and through nfwalk and lists every difference. */
export async function compare(topology: Topology, host: Host, c: Case): Promise<Verdict> {
  const kernel = await withSysctls(topology, c.sysctl ?? [], () => kernelAnswer(topology, c.rules, c.packet, c.origin));
  const loaded = parseRuleset(c.rules, { file: "rules", family: "ipv4" });
  const packet = parsePacketSpec(c.packet);
  if (!packet.ok) throw new Error(packet.message);
  const sysctls = parseSysctls(c.sysctl ?? []);
  if (!sysctls.ok) throw new Error("bad sysctl in case");
  if (!loaded.ok) {
    const differences = kernel.loaded ? [`nfwalk refuses the ruleset (${loaded.diagnostics[0]?.message}), the kernel loads it`] : [];
    return { agree: differences.length === 0, differences, kernel, nfwalk: { refused: loaded.diagnostics.map((d) => d.message) } };
  }
  const ingress = "local" in c.origin ? ({ kind: "local" } as const) : ({ kind: "interface", name: c.origin.in } as const);
  // A lab host that keeps conntrack on has a user outside the rules: what `--assume conntrack=on` says.
  const conntrack = topology.keepsConntrack ? { conntrack: { on: true, source: "the lab's host keeps it on" } } : {};
  const trace = tracePacket({ ruleset: loaded.ruleset, host: { ...host, sysctls: sysctls.value }, packet: packet.packet, ingress, ...conntrack });
  const json = traceJson(trace) as TraceJson;
  return { ...differencesOf(kernel, json), kernel, nfwalk: json };
}

interface TraceJson {
  readonly outcome: string;
  /** Every way the packet may go when unknown matches (ipset contents, limit buckets…) decide. */
  readonly branches?: readonly TraceJson[];
  readonly egress?: { readonly interface: string; readonly packet: object };
  readonly delivered?: { readonly packet: object };
  readonly steps: readonly { readonly type: string; readonly table?: string; readonly chain?: string; readonly rule?: number; readonly policy?: string }[];
}

function differencesOf(kernel: KernelAnswer, trace: TraceJson): { agree: boolean; differences: string[] } {
  const differences: string[] = [];
  if (!kernel.loaded) return { agree: false, differences: [`the kernel refuses the ruleset (${kernel.message}), nfwalk loads it`] };
  const outcome = trace.outcome === "rejected" ? "dropped" : trace.outcome;
  if (outcome !== kernel.outcome) differences.push(`outcome: kernel ${kernel.outcome}, nfwalk ${trace.outcome}`);
  if (kernel.interface && trace.egress && kernel.interface !== trace.egress.interface) {
    differences.push(`egress interface: kernel ${kernel.interface}, nfwalk ${trace.egress.interface}`);
  }
  const header = trace.egress?.packet ?? trace.delivered?.packet;
  // nfwalk says null for a port the kernel draws at random: any value agrees.
  const sameHeader = (k: object, n: object) =>
    Object.entries(n).every(([key, value]) => value === null || (k as Record<string, unknown>)[key] === value) && Object.keys(k).length === Object.keys(n).length;
  if (kernel.header && header && !sameHeader(kernel.header, header)) {
    differences.push(`header: kernel ${JSON.stringify(kernel.header)}, nfwalk ${JSON.stringify(header)}`);
  }
  const kernelSteps = new Map<string, number>([...kernel.rules.map((r) => [ruleKey(r), r.packets] as const), ...kernel.policies.map((p) => [policyKey(p), p.packets] as const)]);
  const traceSteps = new Map<string, number>();
  for (const s of trace.steps) {
    const key = s.type === "rule" ? `${s.table} ${s.chain} #${s.rule}` : s.type === "policy" ? `${s.table} ${s.chain} policy ${s.policy}` : undefined;
    if (key) traceSteps.set(key, (traceSteps.get(key) ?? 0) + 1);
  }
  for (const key of new Set([...kernelSteps.keys(), ...traceSteps.keys()])) {
    const k = kernelSteps.get(key) ?? 0;
    const n = traceSteps.get(key) ?? 0;
    if (k !== n) differences.push(`${key}: the kernel counted ${k}, nfwalk ${n}`);
  }
  return { agree: differences.length === 0, differences };
}

/**
 * When nfwalk's trace forks on matches it cannot decide (an ipset's contents, a limit's
 * bucket, …), the branch the kernel took, if any: the first of the trace's branches that
 * agrees with the kernel on outcome, header and every counter. The kernel has that state,
 * nfwalk does not; agreeing with one of the ways nfwalk says the packet may go is what the
 * contract asks of an undetermined trace. Undefined when the trace has no branches or none agrees.
 */
export function agreeingBranch(verdict: Verdict): number | undefined {
  const branches = (verdict.nfwalk as Partial<TraceJson>).branches;
  if (!branches) return undefined;
  const i = branches.findIndex((b) => differencesOf(verdict.kernel, b).agree);
  return i < 0 ? undefined : i;
}

const ruleKey = (r: CountedRule) => `${r.table} ${r.chain} #${r.rule}`;
const policyKey = (p: CountedPolicy) => `${p.table} ${p.chain} policy ${p.policy}`;

/** Applies sysctls in the host namespace for one packet, and puts the old values back. */
async function withSysctls<T>(topology: Topology, sysctl: readonly string[], run: () => Promise<T>): Promise<T> {
  const ns = topology.namespaces.host;
  const previous: string[] = [];
  for (const assignment of sysctl) {
    const name = assignment.split("=")[0]!;
    const old = await ns.exec(["sysctl", "-n", name]);
    previous.push(`${name}=${old.stdout.trim()}`);
    await ns.exec(["sysctl", "-q", "-w", assignment]);
  }
  try {
    return await run();
  } finally {
    for (const assignment of previous) await ns.exec(["sysctl", "-q", "-w", assignment]);
  }
}

/** The topology and its host, built once for the calling describe block and torn down after it. */
export interface Lab {
  readonly topology: Topology;
  readonly host: Host;
}

/**
 * Call inside a `describe.skipIf(!available.ok)` block: builds the topology
 * before its tests and destroys it after them, even when they fail.
 */
export function sharedLab(available: ConformanceAvailability, options: TopologyOptions = {}): Lab {
  const lab = {} as { topology: Topology; host: Host };
  beforeAll(async () => {
    if (!available.ok) return;
    lab.topology = await buildTopology(available.python, options);
    lab.host = await hostOf(lab.topology);
  }, 60_000);
  afterAll(async () => lab.topology?.destroy());
  return lab;
}
