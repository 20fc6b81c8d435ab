/**
 * From the branches of a trace to its answer: when every branch ends the
 * same way (same outcome, same interface, same header), the unknown matches
 * did not matter; otherwise the outcome is undetermined and says which
 * matches it depends on.
 */
import type { Packet } from "../packet/packet.js";
import type { Branch, ConntrackUse, Trace, UnknownStep } from "./types.js";

export function summarize(packet: Packet, ingress: Trace["ingress"], branches: readonly Branch[], conntrack: ConntrackUse): Trace {
  const first = branches[0]!;
  const agree = branches.every((b) => sameEnd(b, first));
  if (agree && first.outcome !== "undetermined") {
    const note = branches.length > 1 ? ` (whichever way the unknown matches go)` : "";
    const { outcome, egress, delivered, randomPorts } = first;
    return { packet, ingress, outcome, reason: first.reason + note, egress, delivered, randomPorts, steps: first.steps, branches, conntrack };
  }
  const reason = undeterminedReason(branches);
  return { packet, ingress, outcome: "undetermined", reason, egress: undefined, delivered: undefined, randomPorts: undefined, steps: first.steps, branches, conntrack };
}

function sameEnd(a: Branch, b: Branch): boolean {
  return a.outcome === b.outcome && a.egress?.interface === b.egress?.interface && samePacket(a.egress?.packet ?? a.delivered?.packet, b.egress?.packet ?? b.delivered?.packet);
}

function samePacket(a: Packet | undefined, b: Packet | undefined): boolean {
  if (!a || !b) return a === b;
  return sameData(a, b, 1);
}

/** Plain data compared key by key, `depth` levels into nested objects (a packet's addresses and transport header are one down). */
function sameData(a: object, b: object, depth: number): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x: unknown = a[key as keyof typeof a];
    const y: unknown = b[key as keyof typeof b];
    if (x === y) continue;
    if (depth === 0 || typeof x !== "object" || typeof y !== "object" || x === null || y === null || !sameData(x, y, depth - 1)) return false;
  }
  return true;
}

// Plain loops and strings added up, no find/map/join: arrays of different element kinds
// (an empty list, a list of strings) made the optimised code of this function start over.

function undeterminedReason(branches: readonly Branch[]): string {
  let stuck: Branch | undefined;
  let outcomes = "";
  // Each rule once, where the first branch met it, in the words of the last branch that did (a short list: searched, not hashed).
  const unknowns: UnknownStep[] = [];
  for (let i = 0; i < branches.length; i++) {
    const b = branches[i]!;
    if (stuck === undefined && b.outcome === "undetermined") stuck = b;
    if (!sameOutcomeBefore(branches, i)) outcomes += `${outcomes === "" ? "" : ", "}${b.outcome}`;
    for (const s of b.steps) if (s.type === "unknown" && !s.pinned) noteUnknown(unknowns, s);
  }
  if (stuck && unknowns.length === 0) return stuck.reason;
  let list = "";
  for (let i = 0; i < unknowns.length; i++) {
    const s = unknowns[i]!;
    list += `${i === 0 ? "" : "; "}${s.table} ${s.chain} rule ${s.rule} (line ${s.line}): ${s.reason}`;
  }
  return `the outcome (${outcomes}) depends on what nfwalk cannot know: ${list}${stuck ? `; ${stuck.reason}` : ""}`;
}

function sameOutcomeBefore(branches: readonly Branch[], i: number): boolean {
  for (let j = 0; j < i; j++) if (branches[j]!.outcome === branches[i]!.outcome) return true;
  return false;
}

/** `s`, in place of the step of the same rule met before, else added. */
function noteUnknown(unknowns: UnknownStep[], s: UnknownStep): void {
  for (let i = 0; i < unknowns.length; i++) {
    const u = unknowns[i]!;
    if (u.rule === s.rule && u.chain === s.chain && u.table === s.table) {
      unknowns[i] = s;
      return;
    }
  }
  unknowns.push(s);
}
