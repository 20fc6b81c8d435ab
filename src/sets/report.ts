/**
 * `reach` and `diff` answers as the contract's JSON and as text for people:
 * one line a box, PACKETSET-written, with an example PACKET to trace.
 */
import type { Ingress } from "../engine/pipeline.js";
import { formatIPv4, formatIPv6 } from "../model/address.js";
import type { Family } from "../model/types.js";
import { fromWords, wordPositions } from "./address-set.js";
import type { Difference, ReachClass } from "./answer.js";
import { FIELDS, type PacketSet } from "./packet-set.js";
import type { Treatment } from "./reach.js";
import { boxJson, boxText } from "./text.js";

/** `reach`'s answer as `nfwalk reach --json` prints it: the classes, each with its boxes and an example. */
export function reachJson(classes: readonly ReachClass[]): object {
  return {
    classes: classes.map((c) => ({
      outcome: c.outcome,
      ...(c.interface !== undefined && { interface: c.interface }),
      boxes: c.set.map((box) => boxJson(box, c.family)),
      example: c.example,
    })),
  };
}

/** `diff`'s answer as `nfwalk diff --json` prints it: the differences, each with its origin, both treatments, its boxes and an example. */
export function diffJson(differences: readonly Difference[]): object {
  return { differences: differences.map(differenceJson) };
}

/** One difference as the contract's `diff --json` writes it. */
export function differenceJson(d: Difference): object {
  return {
    ...ingressJson(d.ingress),
    before: treatmentJson(d.before, d.family),
    after: treatmentJson(d.after, d.family),
    boxes: d.set.map((box) => boxJson(box, d.family)),
    example: d.example,
  };
}

/** `{"in": "eth0"}` or `{"local": true}`, as trace --batch and diff --json write where packets come from. */
export function ingressJson(ingress: Ingress): { in: string } | { local: true } {
  return ingress.kind === "local" ? { local: true } : { in: ingress.name };
}

/** How a dump treats packets, as JSON: `{"outcome": "forwarded", "interface": "docker0", "nat": {"dst": "172.17.0.2"}}`. */
export function treatmentJson(t: Treatment, family: Family = "ipv4"): object {
  const nat = natFields(t, family);
  return { outcome: t.outcome, ...(t.interface !== undefined && { interface: t.interface }), ...(Object.keys(nat).length > 0 && { nat }) };
}

/** The header fields NAT set, by name: `{"dst": "172.17.0.2", "dport": 80}`. */
function natFields(t: Treatment, family: Family): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  FIELDS.forEach((field, i) => {
    const v = t.rewrite[i];
    if (v === undefined) return;
    if (field === "src" || field === "dst") out[field] = family === "ipv4" ? formatIPv4(v) : formatIPv6(fromWords(wordPositions(field).map((p) => t.rewrite[p]!)));
    else out[field] = v;
  });
  return out;
}

/** At most this many boxes of one class in text; JSON lists them all. */
const TEXT_BOXES = 12;

/** `reach`'s answer as a table for people: outcome, interface, PACKETSET boxes and an example. */
export function reachText(classes: readonly ReachClass[]): string {
  if (classes.length === 0) return "the set holds no packet\n";
  const rows: string[][] = [["OUTCOME", "INTERFACE", "PACKETS", "EXAMPLE"]];
  for (const c of classes) {
    c.set.slice(0, TEXT_BOXES).forEach((box, i) => rows.push(i === 0 ? [c.outcome, c.interface ?? "", boxText(box, c.family), c.example] : ["", "", boxText(box, c.family), ""]));
    if (c.set.length > TEXT_BOXES) rows.push(["", "", `… and ${c.set.length - TEXT_BOXES} more (--json lists them all)`, ""]);
  }
  return table(rows);
}

/** `diff`'s answer for people: each difference with its origin, before → after, PACKETSET boxes and an example. */
export function diffText(differences: readonly Difference[]): string {
  if (differences.length === 0) return "the two dumps treat every packet alike\n";
  return differences.map((d) => `${differenceHeading(d)}\n${differenceBody(d)}`).join("\n");
}

/** `arriving on eth0: dropped → delivered`: where the packets come from and how each dump treats them. */
export function differenceHeading(d: Difference): string {
  const unknowable = d.before.outcome === "undetermined" && d.after.outcome === "undetermined" ? " (each hangs on what nfwalk cannot know: they may differ)" : "";
  return `${originText(d.ingress)}: ${treatmentText(d.before, d.family)} → ${treatmentText(d.after, d.family)}${unknowable}`;
}

/** The packets of a difference, one indented line a box (some of many), and its example. */
export function differenceBody(d: Difference): string {
  return `${setLines(d.set, "  ", d.family)}  example: ${d.example}\n`;
}

/** A set's boxes as PACKETSET lines (at most TEXT_BOXES of them), each after `indent`. */
export function setLines(set: PacketSet, indent: string, family: Family = "ipv4"): string {
  const boxes = set.slice(0, TEXT_BOXES).map((box) => `${indent}${boxText(box, family)}\n`);
  const more = set.length > TEXT_BOXES ? `${indent}… and ${set.length - TEXT_BOXES} more (--json lists them all)\n` : "";
  return boxes.join("") + more;
}

/** Where packets come from, in words: "arriving on eth0", "sent by the host". */
export function originText(ingress: Ingress): string {
  return ingress.kind === "local" ? "sent by the host" : `arriving on ${ingress.name}`;
}

/** A treatment in words: `dropped`, `forwarded (docker0) [NAT: dst 172.17.0.2, dport 80]`. */
export function treatmentText(t: Treatment, family: Family = "ipv4"): string {
  const nat = Object.entries(natFields(t, family)).map(([k, v]) => `${k} ${v}`);
  return `${t.outcome}${t.interface !== undefined ? ` (${t.interface})` : ""}${nat.length > 0 ? ` [NAT: ${nat.join(", ")}]` : ""}`;
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map(
      (r) =>
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
          .join("  ")
          .trimEnd() + "\n",
    )
    .join("");
}
