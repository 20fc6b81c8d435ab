/**
 * `why`: traces the packet with the engine, then says in plain words whether
 * it gets there, which step decided, which rule would have changed that and
 * which of its conditions failed, the Docker trap behind it, and a fix.
 */
import { tracePacket, type TraceRequest } from "../engine/pipeline.js";
import type { Ruleset } from "../ruleset/types.js";
import { describeDestination, describePacket } from "../packet/format.js";
import { packetJson } from "../trace/json.js";
import type { Branch, Step, Trace } from "../engine/types.js";
import { dockerLayout } from "../docker/layout.js";
import { dockerNetworks } from "../docker/networks.js";
import type { DockerInventory } from "../docker/inventory.js";
import { containerWords, networkWords } from "../docker/names.js";
import { packetNames, type PacketNames } from "../docker/packet-names.js";
import { kubeProxyView, kubeRoutes, kubeSummary } from "../kube/index.js";
import { missedDnat, nearestAccept, type Miss } from "./near-miss.js";
import { ruleAt, ruleRef } from "./refs.js";
import { findTraps, type TrapContext } from "./traps.js";
import type { Alternative, Decisive, Why } from "./types.js";
import { reachedOf } from "../trace/reached.js";
import { rulesWriters } from "./writers.js";
import type { World } from "./change.js";
import { allowListCandidate, provenFixes } from "./fixes.js";
import { outcomeWords, replyGetsBack, traceIn, type Question } from "./prove.js";

export interface WhyRequest extends Pick<TraceRequest, "ruleset" | "host" | "packet" | "ingress" | "assume" | "ipsets" | "conntrack"> {
  /** How the origin was worked out, when the user did not give it. */
  readonly originInferred?: string;
  /** Docker's containers and networks, to name them. */
  readonly docker?: DockerInventory;
}

export function explain(request: WhyRequest): Why {
  const { ruleset, host, packet, ingress } = request;
  // Recorded: what the engine saw at each table and decision, which the near misses are evaluated against.
  const trace = tracePacket({ ...request, record: true });
  const branch = trace.branches.find((b) => b.outcome === trace.outcome) ?? trace.branches[0]!;
  const reached = reachedOf(trace);
  const layout = dockerLayout(ruleset, host);
  const networks = dockerNetworks(ruleset, host, layout);
  const decisive = reached === undefined ? undefined : decisiveStep(ruleset, branch, reached);
  const misses: Miss[] = [];
  // The environment the deciding rule or policy was taken with.
  const last = branch.steps[branch.steps.length - 1];
  const decidedWith = branch.seen?.findLast((seen) => seen.step !== undefined && seen.step === last)?.env;
  if (reached === false && decisive && decisive.kind !== "routing" && decisive.kind !== "other" && decidedWith) {
    const blocker = decisive.kind === "rule" ? `rule ${decisive.rule} of ${decisive.table} ${decisive.chain}` : `the policy of ${decisive.table} ${decisive.chain}`;
    const miss = nearestAccept(ruleset, decisive.hook, decisive.table, decisive.chain, blocker, decidedWith);
    if (miss) misses.push(miss);
  }
  const dnat = branch.steps.find((s) => s.type === "nat" && s.kind === "dnat");
  const natHook = ingress.kind === "local" ? "OUTPUT" : "PREROUTING";
  // What the nat table's walk began with, where a DNAT rule could have sent the packet elsewhere.
  const natEntry = branch.seen?.find((seen) => seen.step === undefined && seen.passed === undefined && seen.hook === natHook && seen.table === "nat")?.env;
  if (!dnat && reached !== undefined && natEntry) {
    const miss = missedDnat(ruleset, natHook, natEntry, branch.steps);
    if (miss) misses.push(miss);
  }
  const whyNot = misses.map((m) => m.nearMiss);
  const translatedBy = translation(ruleset, branch);
  const names = request.docker && packetNames(request.docker, trace, host);
  const context: TrapContext = { ruleset, host, trace, branch, layout, networks, decisive, misses, translatedBy, docker: request.docker, names };
  const { traps, candidates, advice } = findTraps(context);
  const world: World = { ruleset, host, ...(request.ipsets && { ipsets: request.ipsets }) };
  const question: Question = { packet, ingress, ...(request.assume && { assume: request.assume }), ...(request.conntrack && { conntrack: request.conntrack }) };
  // A packet that gets there is answered only when its reply gets back too.
  const replyTrace = reached === true ? traceIn(world, question, packet, ingress, "reply") : undefined;
  const replyStuck = replyTrace !== undefined && !replyGetsBack(replyTrace, ingress);
  const needsPass = reached === false || replyStuck;
  const allowList = reached === false ? allowListCandidate(world, misses[0], branch.endPoint?.packet ?? packet) : undefined;
  // Around an allow-list, only adding to it; otherwise also the narrowest rules for this packet alone.
  const tried = allowList ? [allowList] : needsPass ? [...candidates, { changes: [] }] : candidates;
  const fixes = reached === undefined ? [] : provenFixes(world, question, tried, needsPass);
  const kube = kubeProxyView(ruleset);
  const writers = rulesWriters(ruleset, layout);
  const kubernetes = kube && kubeSummary(kubeRoutes(trace, ruleset, kube));
  return {
    ...(host.origin.kind === "default" && { assumedHost: host.origin.assumptions }),
    packet: packetJson(packet),
    origin: ingress.kind === "local" ? { local: true } : { in: ingress.name },
    ...(request.originInferred && { originInferred: request.originInferred }),
    outcome: trace.outcome,
    reached,
    answer: answer(
      trace,
      reached,
      networks.map((n) => n.bridge),
      names,
    ),
    ...(replyTrace && { reply: { getsBack: !replyStuck, outcome: outcomeWords(replyTrace) } }),
    // Said only when it is not what nearly every host has: conntrack off, or on by assumption alone.
    ...(trace.conntrack && (!trace.conntrack.active || trace.conntrack.assumed) && { conntrack: trace.conntrack.reason }),
    ...(decisive && { decisive }),
    ...(translatedBy && { translatedBy }),
    whyNot,
    traps,
    fixes,
    advice,
    alternatives: trace.outcome === "undetermined" ? alternatives(trace, ruleset) : [],
    ...writers,
    ...(names && { names }),
    ...(kubernetes && kubernetes.length > 0 && { kubernetes }),
  };
}

function answer(trace: Trace, reached: boolean | undefined, bridges: readonly string[], names: PacketNames | undefined): string {
  const egress = trace.egress;
  switch (trace.outcome) {
    case "delivered": {
      const to = trace.delivered ? describeDestination(trace.delivered.packet) : "";
      return `reached: delivered to the host itself (a local process listening on ${to})`;
    }
    case "forwarded":
    case "sent": {
      const dnat = trace.steps.find((s) => s.type === "nat" && s.kind === "dnat");
      const to = describeDestination(egress!.packet);
      const verb = trace.outcome === "forwarded" ? "forwarded" : "sent";
      const after = dnat ? " after DNAT" : "";
      const container = dnat ? names?.translated : names?.destination;
      if (container) return `reached: ${verb} to ${containerWords(container)}${after}`;
      if (names?.out) return `reached: ${verb} to the container at ${to} on ${networkWords(names.out.name, names.out.bridge)}${after}`;
      if (bridges.includes(egress!.interface)) return `reached: ${verb} to the container at ${to} on ${egress!.interface}${after}`;
      return `reached: ${verb} out of ${egress!.interface} as ${describePacket(egress!.packet)}`;
    }
    case "dropped":
    case "rejected":
      return `not reached: ${trace.outcome} (${trace.reason})`;
    case "undetermined":
      if (reached !== undefined) return `${reached ? "reached" : "not reached"} whichever way the unknown matches go (below); what else depends on them: ${trace.reason}`;
      return `undetermined: ${trace.reason}`;
  }
}

function decisiveStep(ruleset: Ruleset, branch: Branch, reached: boolean): Decisive {
  const steps = branch.steps;
  const pick = reached
    ? [...steps].reverse().find((s) => (s.type === "rule" && s.table === "filter" && s.target === "ACCEPT") || (s.type === "policy" && s.table === "filter"))
    : steps[steps.length - 1];
  return stepDecisive(ruleset, pick, branch.reason);
}

function stepDecisive(ruleset: Ruleset, step: Step | undefined, reason: string): Decisive {
  const rule = step?.type === "rule" ? ruleAt(ruleset, step.table, step.chain, step.rule) : undefined;
  switch (step?.type) {
    case "rule":
      return rule ? { kind: "rule", target: step.target ?? "", ...ruleRef(ruleset, rule, step.hook) } : { kind: "other", detail: reason };
    case "policy":
      return { kind: "policy", table: step.table, chain: step.chain, hook: step.hook, policy: step.policy };
    case "route":
      return { kind: "routing", detail: step.detail };
    default:
      return { kind: "other", detail: reason };
  }
}

/** The DNAT rule that rewrote the packet: the nat rule step right before the dnat step. */
function translation(ruleset: Ruleset, branch: Branch): Why["translatedBy"] {
  const i = branch.steps.findIndex((s) => s.type === "nat" && s.kind === "dnat");
  const nat = branch.steps[i];
  const step = branch.steps
    .slice(0, i)
    .reverse()
    .find((s) => s.type === "rule" && s.table === "nat");
  if (nat?.type !== "nat" || step?.type !== "rule") return undefined;
  const rule = ruleAt(ruleset, "nat", step.chain, step.rule);
  return rule ? { ...ruleRef(ruleset, rule, step.hook), after: nat.after } : undefined;
}

function alternatives(trace: Trace, ruleset: Ruleset): Alternative[] {
  return trace.branches.map((b) => ({
    assumed: b.steps.flatMap((s) => {
      if (s.type !== "unknown") return [];
      const rule = ruleAt(ruleset, s.table, s.chain, s.rule);
      return [
        `${rule ? ruleRef(ruleset, rule, s.hook).text : `${s.table} ${s.chain} rule ${s.rule}`} (${ruleset.file}:${s.line}) ${s.assumed === "match" ? "matches" : "does not match"}: ${s.reason}`,
      ];
    }),
    outcome: b.outcome,
    answer: b.egress ? `${b.reason} as ${describePacket(b.egress.packet)}` : b.reason,
  }));
}
