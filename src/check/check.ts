/**
 * `nfwalk check`: expectations about whole sets of packets, each decided
 * exactly over every packet of its set with the set walk of `reach` and
 * `diff` (no sampling). An expectation holds when every packet has the
 * outcome it names; it fails when one packet does not (and then the packets
 * that break it are given, with a counter-example PACKET for `nfwalk trace`);
 * it is undetermined when none breaks it but some depend on what nfwalk
 * cannot know.
 */
import type { Ingress } from "../engine/pipeline.js";
import { diff, treatmentKey, type Difference, type HostQuery } from "../sets/answer.js";
import { EVERYTHING, isEmpty, merge, minus, setSize, unionAll, type PacketSet } from "../sets/packet-set.js";
import { reachParts, type Treatment } from "../sets/reach.js";
import { defaultFixed, examplePoint, packetText, type PacketQuery } from "../sets/text.js";
import { originText } from "../sets/report.js";
import { findingDetail, treatmentWords } from "./detail.js";
import { havingOutcome, outcomeSpecText } from "./outcome.js";
import type { CheckReport, CheckRequest, CheckStatus, Expectation, ExpectationFinding, UndeterminedPart } from "./types.js";

/**
 * Decides every expectation against the rules and host of the request. The
 * expectations' packets and NAT addresses are of the rules' family (read with
 * `parsePacketSet(text, ruleset.family)` and `parseOutcomeSpec(phrase, ruleset.family)`).
 */
export function check(request: CheckRequest): CheckReport {
  const results = request.expectations.map((e) => {
    const finding = e.kind === "outcome" ? outcomeResult(request, e) : noChangeResult(request, e);
    return { ...finding, detail: findingDetail(finding) };
  });
  return { results, assumed: assumptions(request) };
}

/** 1 (fail) when an expectation fails, 3 (undetermined) when none fails but one is undetermined, else pass. */
export function checkStatus(report: CheckReport): CheckStatus {
  const statuses = new Set(report.results.map((r) => r.status));
  return statuses.has("fail") ? "fail" : statuses.has("undetermined") ? "undetermined" : "pass";
}

function outcomeResult(request: CheckRequest, e: Extract<Expectation, { kind: "outcome" }>): ExpectationFinding {
  const { ingress, query } = e.packets;
  const broken = new Map<string, { treatment: Treatment; sets: PacketSet[] }>();
  const undetermined: { set: PacketSet; reason: string }[] = [];
  for (const part of reachParts({ ...request, query, ingress })) {
    if (part.treatment.outcome === "undetermined") {
      undetermined.push({ set: part.set, reason: part.treatment.reason });
      continue;
    }
    const having = havingOutcome(part.set, part.treatment, e.expect);
    const breaking = e.expect.negated ? having : minus(part.set, having);
    if (isEmpty(breaking)) continue;
    const key = treatmentKey(part.treatment);
    const group = broken.get(key);
    if (group) group.sets.push(breaking);
    else broken.set(key, { treatment: part.treatment, sets: [breaking] });
  }
  // The largest first: the counter-example comes from the bulk of what breaks the expectation.
  const parts = [...broken.values()]
    .map(({ treatment, sets }) => {
      const set = merge(sets.flat());
      return { treatment, set, example: packetText(examplePoint(set, query.fixed.family), query.fixed) };
    })
    .sort((a, b) => setSize(b.set) - setSize(a.set));
  const unknown = undeterminedParts(
    undetermined.map((u) => ({ ...u, ingress })),
    query,
  );
  const base = { kind: "outcome" as const, name: e.name, where: e.where, family: request.ruleset.family, packets: e.packets, expect: e.expect, broken: parts, undetermined: unknown };
  const expected = outcomeSpecText(e.expect);
  const first = parts[0];
  if (first) {
    return {
      ...base,
      status: "fail",
      message: `${first.example} ${originText(ingress)} is ${treatmentWords(first.treatment, base.family)}; expected: ${expected}`,
      counterExample: { packet: first.example, ingress, trace: [traceCommand(request.rulesFlags ?? ["--rules", request.ruleset.file], request.hostFlags, ingress, first.example)] },
    };
  }
  if (unknown.length > 0) return { ...base, status: "undetermined", message: undeterminedMessage(unknown) };
  return { ...base, status: "pass", message: `every packet of ${e.packets.text} ${originText(ingress)}: ${expected}` };
}

function noChangeResult(request: CheckRequest, e: Extract<Expectation, { kind: "no-change" }>): ExpectationFinding {
  const query = e.packets?.query ?? { set: EVERYTHING, fixed: defaultFixed(request.ruleset.family) };
  const origins = e.packets && [e.packets.ingress];
  const beforeQuery: HostQuery = { ruleset: e.before, host: request.host, ...(request.ipsets && { ipsets: request.ipsets }) };
  const remaining: Difference[] = [];
  for (const d of diff(beforeQuery, request, query, origins)) {
    const allowed = unionAll(e.allow.filter((a) => a.ingress === undefined || sameIngress(a.ingress, d.ingress)).map((a) => a.set));
    const set = minus(d.set, allowed);
    if (isEmpty(set)) continue;
    remaining.push({ ...d, set, example: packetText(examplePoint(set, query.fixed.family), query.fixed) });
  }
  const broken = remaining.filter((d) => d.before.outcome !== "undetermined" && d.after.outcome !== "undetermined");
  const unknown = undeterminedParts(
    remaining.filter((d) => !broken.includes(d)).map((d) => ({ ingress: d.ingress, set: d.set, reason: (d.before.outcome === "undetermined" ? d.before : d.after).reason })),
    query,
  );
  const base = {
    kind: "no-change" as const,
    name: e.name,
    where: e.where,
    family: request.ruleset.family,
    before: e.before.file,
    ...(e.packets && { packets: e.packets }),
    broken: remaining,
    undetermined: unknown,
  };
  const allowed = e.allow.length > 0 ? " outside the allowed changes" : "";
  // The counter-example from the largest difference, from a real interface if one differs: packets
  // "arriving" on loopback are the host's own, looped back, a poor first example.
  const loopback = new Set(request.host.interfaces.filter((i) => i.kind === "loopback").map((i) => i.name));
  const looped = (d: Difference) => (d.ingress.kind === "interface" && loopback.has(d.ingress.name) ? 1 : 0);
  const first = [...broken].sort((a, b) => looped(a) - looped(b) || setSize(b.set) - setSize(a.set))[0];
  if (first) {
    return {
      ...base,
      status: "fail",
      message: `${first.example} ${originText(first.ingress)} was ${treatmentWords(first.before, base.family)}, is now ${treatmentWords(first.after, base.family)}`,
      counterExample: {
        packet: first.example,
        ingress: first.ingress,
        trace: [["--rules", e.before.file], request.rulesFlags ?? ["--rules", request.ruleset.file]].map((rules) => traceCommand(rules, request.hostFlags, first.ingress, first.example)),
      },
    };
  }
  if (unknown.length > 0) return { ...base, status: "undetermined", message: undeterminedMessage(unknown) };
  return { ...base, status: "pass", message: `${e.before.file} and ${request.ruleset.file} treat every packet alike${allowed}` };
}

/** Undecided packets by origin and reason, the largest first. */
function undeterminedParts(parts: readonly { ingress: Ingress; set: PacketSet; reason: string }[], query: PacketQuery): UndeterminedPart[] {
  const groups = new Map<string, { ingress: Ingress; reason: string; sets: PacketSet[] }>();
  for (const p of parts) {
    const key = `${originText(p.ingress)} ${p.reason}`;
    const group = groups.get(key);
    if (group) group.sets.push(p.set);
    else groups.set(key, { ingress: p.ingress, reason: p.reason, sets: [p.set] });
  }
  return [...groups.values()]
    .map(({ ingress, reason, sets }) => {
      const set = merge(sets.flat());
      return { ingress, reason, set, example: packetText(examplePoint(set, query.fixed.family), query.fixed) };
    })
    .sort((a, b) => setSize(b.set) - setSize(a.set));
}

function undeterminedMessage(parts: readonly UndeterminedPart[]): string {
  const first = parts[0]!;
  return `nothing breaks it, but it depends on what nfwalk cannot know for some packets, such as ${first.example} ${originText(first.ingress)}: ${first.reason}`;
}

function sameIngress(a: Ingress, b: Ingress): boolean {
  return a.kind === "local" ? b.kind === "local" : b.kind === "interface" && a.name === b.name;
}

/** The `nfwalk trace` command that shows what the rules (given by `rulesFlags`) do with the packet. */
function traceCommand(rulesFlags: readonly string[], hostFlags: readonly string[] = [], ingress: Ingress, packet: string): string {
  const origin = ingress.kind === "local" ? ["--local"] : ["--in", ingress.name];
  return ["nfwalk", "trace", ...rulesFlags, ...hostFlags, ...origin, packet].map(shellWord).join(" ");
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function assumptions(request: CheckRequest): string[] {
  const out = [
    "every packet is the first of its connection: conntrack gives it the state of a packet it has not seen (a SYN is NEW)",
    "TCP packets have the flags SYN, ICMP packets are echo requests, TTL is 64, unless a PACKETSET's [...] says otherwise",
  ];
  const { origin } = request.host;
  if (origin.kind === "default") out.push(`no addresses and routes were given, so nfwalk assumed this host: ${origin.assumptions.join("; ")}`);
  return out;
}
