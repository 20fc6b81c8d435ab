/**
 * The answers of `nfwalk reach` and `nfwalk diff`: classes of packets with
 * one outcome (and egress interface) each, and the packets two dumps treat
 * differently, each with an example PACKET to trace.
 */
import type { Ingress } from "../engine/pipeline.js";
import type { Host } from "../host/index.js";
import type { Ruleset } from "../ruleset/types.js";
import { formatRule } from "../ruleset/save.js";
import type { IpsetContents } from "../host/ipset.js";
import { fullList, intersect, isEmpty, merge, minus, overlaps, setSize, type PacketSet } from "./packet-set.js";
import type { Family } from "../model/types.js";
import type { Outcome } from "../engine/types.js";
import { reachParts, type ReachPart, type Treatment } from "./reach.js";
import { examplePoint, packetText, type PacketQuery } from "./text.js";

/** Packets that one host treats alike: one outcome (and egress interface), with an example and the reason. */
export interface ReachClass {
  readonly family: Family;
  readonly outcome: Outcome;
  readonly interface?: string;
  readonly set: PacketSet;
  /** A PACKET of the class, for `nfwalk trace`. */
  readonly example: string;
  /** Why (for one of its packets): the rule, policy or routing decision. */
  readonly reason: string;
}

/** A host as `reach` and `diff` walk it: the rules, the host and its ipsets. */
export interface HostQuery {
  readonly ruleset: Ruleset;
  readonly host: Host;
  readonly ipsets?: IpsetContents;
}

const OUTCOME_ORDER: readonly Outcome[] = ["delivered", "forwarded", "sent", "dropped", "rejected", "undetermined"];

/** What the host does with every packet of the query arriving by `ingress`. */
export function reach(request: HostQuery & { readonly query: PacketQuery; readonly ingress: Ingress }): ReachClass[] {
  const groups = new Map<string, { outcome: Outcome; interface?: string; parts: ReachPart[] }>();
  for (const part of reachParts(request)) {
    const { outcome, interface: device } = part.treatment;
    const key = `${outcome} ${device ?? ""}`;
    const group = groups.get(key);
    if (group) group.parts.push(part);
    else groups.set(key, { outcome, ...(device !== undefined && { interface: device }), parts: [part] });
  }
  return [...groups.values()].sort(byOutcome).map(({ outcome, interface: device, parts }) => {
    const set = merge(parts.flatMap((p) => p.set));
    const fixed = request.query.fixed;
    return { family: fixed.family, outcome, ...(device !== undefined && { interface: device }), set, example: packetText(examplePoint(set, fixed.family), fixed), reason: parts[0]!.treatment.reason };
  });
}

function byOutcome(a: { outcome: Outcome; interface?: string }, b: { outcome: Outcome; interface?: string }): number {
  return OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) || (a.interface ?? "").localeCompare(b.interface ?? "");
}

/** Packets, arriving by one ingress, that two dumps treat differently: how each treats them, and an example. */
export interface Difference {
  readonly family: Family;
  readonly ingress: Ingress;
  readonly before: Treatment;
  readonly after: Treatment;
  readonly set: PacketSet;
  readonly example: string;
}

/**
 * The packets two dumps treat differently on one host: a different outcome,
 * egress interface, or header after NAT. Without `origins`, every interface
 * of the host and locally sent packets.
 *
 * Packets undetermined with both dumps are a difference too unless the dumps
 * hold the same rules: what each does with them hangs on something nfwalk
 * cannot know, and the dumps may answer it apart (diff then exits 3 when
 * nothing else differs). Never "alike" without proof.
 */
export function diff(before: HostQuery, after: HostQuery, query: PacketQuery, origins?: readonly Ingress[]): Difference[] {
  let same: boolean | undefined;
  const sameRules = () => (same ??= holdSameRules(before.ruleset, after.ruleset));
  const ingresses = origins ?? [...before.host.interfaces.map((i): Ingress => ({ kind: "interface", name: i.name })), { kind: "local" }];
  const out: Difference[] = [];
  for (const ingress of ingresses) {
    const was = reachParts({ ...before, query, ingress });
    const now = reachParts({ ...after, query, ingress });
    const groups = new Map<string, { before: Treatment; after: Treatment; sets: PacketSet[] }>();
    for (const b of was)
      for (const a of now) {
        if (!overlaps(b.set, a.set)) continue;
        const both = intersect(b.set, a.set);
        const undeterminedInBoth = b.treatment.outcome === "undetermined" && a.treatment.outcome === "undetermined";
        const differing = undeterminedInBoth ? (sameRules() ? [] : both) : treatedApart(both, b.treatment, a.treatment);
        if (isEmpty(differing)) continue;
        const key = `${treatmentKey(b.treatment)} / ${treatmentKey(a.treatment)}`;
        const group = groups.get(key);
        if (group) group.sets.push(differing);
        else groups.set(key, { before: b.treatment, after: a.treatment, sets: [differing] });
      }
    // The largest differences first: they are what a change is about.
    const merged = [...groups.values()].map((g) => ({ ...g, set: merge(g.sets.flat()) })).sort((x, y) => setSize(y.set) - setSize(x.set));
    for (const g of merged) {
      const set = g.set;
      out.push({ family: query.fixed.family, ingress, before: g.before, after: g.after, set, example: packetText(examplePoint(set, query.fixed.family), query.fixed) });
    }
  }
  return out;
}

/** The two dumps have the same tables, chains, policies and rules (counters aside); the first difference ends the comparison. */
function holdSameRules(a: Ruleset, b: Ruleset): boolean {
  if (a === b) return true;
  if (a.family !== b.family || a.tables.length !== b.tables.length) return false;
  return a.tables.every((ta, i) => {
    const tb = b.tables[i]!;
    if (ta.name !== tb.name || ta.chains.length !== tb.chains.length) return false;
    return ta.chains.every((ca, j) => {
      const cb = tb.chains[j]!;
      if (ca.name !== cb.name || ca.policy !== cb.policy || ca.rules.length !== cb.rules.length) return false;
      return ca.rules.every((ra, k) => formatRule(ra, a.family) === formatRule(cb.rules[k]!, b.family));
    });
  });
}

/** Treatments with the same key treat packets alike: outcome, interface and header after NAT. */
export function treatmentKey(t: Treatment): string {
  return `${t.outcome} ${t.interface ?? ""} ${t.rewrite.join(",")}`;
}

/**
 * The packets of `set` the two treatments leave apart. Same outcome and
 * interface: the headers after NAT differ unless, in every field where one
 * dump's NAT set a value and the other's did not, the packet had that value.
 */
function treatedApart(set: PacketSet, a: Treatment, b: Treatment): PacketSet {
  if (a.outcome !== b.outcome || a.interface !== b.interface) return set;
  // By box position: an IPv6 address is alike when each of its words is.
  const same: (readonly number[])[] = [];
  let restricted = false;
  for (let i = 0; i < Math.max(a.rewrite.length, b.rewrite.length); i++) {
    const x = a.rewrite[i];
    const y = b.rewrite[i];
    if (x === y) {
      same.push(fullList(i));
      continue;
    }
    if (x !== undefined && y !== undefined) return set;
    const value = (x ?? y)!;
    same.push([value, value]);
    restricted = true;
  }
  return restricted ? minus(set, [same]) : [];
}

/** Whether every difference involves a packet nfwalk could not decide (diff's exit 3): they differ only where nfwalk cannot know. */
export function onlyUndetermined(differences: readonly Difference[]): boolean {
  return differences.length > 0 && differences.every((d) => d.before.outcome === "undetermined" || d.after.outcome === "undetermined");
}
