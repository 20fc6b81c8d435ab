/**
 * What else a fix changes, exactly: the packet-set engine's `diff` of the host without and
 * with the fix, over every packet of the rules' family that opens a connection (the packet sets' scope),
 * arriving on each of the host's interfaces or sent by the host, with the asked packet's
 * TCP flags, ICMP type, TTL and TOS. The asked packet itself is taken out: what remains is
 * what the fix opens, closes or sends elsewhere beyond it. No sampling: an empty answer
 * means the fix changes nothing else for those packets.
 */
import type { Ingress } from "../engine/pipeline.js";
import { diff, type Difference } from "../sets/answer.js";
import { boxOf, EVERYTHING, intersect, isEmpty, minus, setSize } from "../sets/packet-set.js";
import { addressPoint } from "../sets/address-set.js";
import * as iv from "../sets/intervals.js";
import { treatmentText } from "../sets/report.js";
import { boxText, defaultFixed, examplePoint, packetText, pointOf, type FixedFields, type PacketQuery } from "../sets/text.js";
import { hasPorts, type Packet } from "../packet/packet.js";
import type { World } from "./change.js";

/** A set of packets, beyond the asked one, that a fix treats differently from the current rules. */
export interface FixDifference {
  /**
   * `opens`: stopped now, through with the fix; `closes`: the reverse; `changes`: through
   * either way, but out of another interface or with another header after NAT;
   * `undetermined`: nfwalk cannot tell what happens to them with or without the fix.
   */
  readonly change: "opens" | "closes" | "changes" | "undetermined";
  readonly origin: { readonly in: string } | { readonly local: true };
  /** What happens to them now and with the fix: `dropped`, `forwarded (docker0) [NAT: dst 172.17.0.2]`. */
  readonly before: string;
  readonly after: string;
  /** The packets as PACKETSET, one box a line. */
  readonly packets: readonly string[];
  /** One of them as PACKET, for `nfwalk trace`. */
  readonly example: string;
  /** For `undetermined`: what nfwalk cannot follow. */
  readonly reason?: string;
}

/** What else the fix changes, and how many packets that is (for ordering fixes narrowest first). */
export interface FixDiff {
  readonly differences: readonly FixDifference[];
  readonly size: number;
}

const STOPPED = new Set(["dropped", "rejected"]);

/** The differences between the world without and with the fix, the asked packet left out. */
export function fixDiff(before: World, after: World, packet: Packet, ingress: Ingress): FixDiff {
  const query: PacketQuery = { set: EVERYTHING, fixed: fixedOf(packet) };
  const asked = askedBox(packet);
  const differences: FixDifference[] = [];
  let size = 0;
  for (const d of diff(before, after, query)) {
    const set = sameIngress(d.ingress, ingress) ? minus(d.set, asked) : d.set;
    if (isEmpty(set)) continue;
    size += setSize(set);
    differences.push(fixDifference({ ...d, set, example: packetText(examplePoint(set, query.fixed.family), query.fixed) }));
  }
  // The asked packet's neighbours first: they arrive where it does.
  const here = (d: FixDifference) => ("local" in d.origin ? ingress.kind === "local" : ingress.kind === "interface" && d.origin.in === ingress.name);
  return { differences: [...differences.filter(here), ...differences.filter((d) => !here(d))], size };
}

function fixDifference(d: Difference): FixDifference {
  const [was, now] = [d.before.outcome, d.after.outcome];
  const undetermined = now === "undetermined" ? d.after : was === "undetermined" ? d.before : undefined;
  const change = undetermined ? "undetermined" : STOPPED.has(was) === STOPPED.has(now) ? "changes" : STOPPED.has(was) ? "opens" : "closes";
  return {
    change,
    origin: d.ingress.kind === "local" ? { local: true } : { in: d.ingress.name },
    before: treatmentText(d.before, d.family),
    after: treatmentText(d.after, d.family),
    packets: d.set.map((box) => boxText(box, d.family)),
    example: d.example,
    ...(undetermined && { reason: undetermined.reason }),
  };
}

const sameIngress = (a: Ingress, b: Ingress) => (a.kind === "local" ? b.kind === "local" : b.kind === "interface" && a.name === b.name);

/** The asked packet as a box: its point, with any ports for a protocol without them (a set's portless packets ignore its port lists). */
function askedBox(packet: Packet) {
  const [proto, , , sport, dport] = pointOf(packet) as [number, number, number, number, number];
  const ports = hasPorts(packet.transport) ? { sport: iv.point(sport), dport: iv.point(dport) } : {};
  const addresses = intersect(addressPoint("src", packet.family, packet.src.value), addressPoint("dst", packet.family, packet.dst.value));
  return intersect(boxOf({ proto: iv.point(proto), ...ports }), addresses);
}

/** The fields a packet set keeps one value of, taken from the asked packet. */
function fixedOf(packet: Packet): FixedFields {
  const t = packet.transport;
  const byDefault = defaultFixed(packet.family);
  return {
    family: packet.family,
    flags: t.kind === "tcp" ? t.flags : byDefault.flags,
    icmpType: t.kind === "icmp" || t.kind === "icmpv6" ? t.type : byDefault.icmpType,
    icmpCode: t.kind === "icmp" || t.kind === "icmpv6" ? t.code : byDefault.icmpCode,
    ttl: packet.ttl,
    tos: packet.tos,
  };
}
