/**
 * PACKETSET, the command-line form of a set of packets (the contract's
 * "Packet sets" section), read and written; the JSON form of boxes; and the
 * packets of a set as PACKETs `trace` reads.
 *
 *     tcp,udp 203.0.113.0/24 -> 10.99.0.1:1-1024,8080 [flags SYN]
 */
import { formatIPv4, parseIPv4 } from "../model/address.js";
import { icmpTypeByName } from "../packet/icmp-names.js";
import { PROTOCOL_NUMBERS, type Packet, type Transport } from "../packet/packet.js";
import * as iv from "./intervals.js";
import type { Intervals } from "./intervals.js";
import { boxOf, FIELD_MAX, FIELDS, type Box, type Field, type PacketSet, type Point } from "./packet-set.js";

/** The fields a set leaves alone: one value for all its packets. */
export interface FixedFields {
  /** TCP flags (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128) of its TCP packets. */
  readonly flags: number;
  /** ICMP type and code of its ICMP packets. */
  readonly icmpType: number;
  readonly icmpCode: number;
  readonly ttl: number;
  readonly tos: number;
}

/** What `trace` gives a packet when nothing is said: a SYN, an echo request, TTL 64. */
export const DEFAULT_FIXED: FixedFields = { flags: 0x02, icmpType: 8, icmpCode: 0, ttl: 64, tos: 0 };

/** A set of packets as a query: the modelled fields as boxes, the rest fixed. */
export interface PacketQuery {
  readonly set: PacketSet;
  readonly fixed: FixedFields;
}

export type PacketSetResult = { readonly ok: true; readonly query: PacketQuery } | { readonly ok: false; readonly message: string };

class SetTextError extends Error {}

function fail(message: string): never {
  throw new SetTextError(message);
}

export function parsePacketSet(text: string): PacketSetResult {
  try {
    return { ok: true, query: readPacketSet(text) };
  } catch (e) {
    if (e instanceof SetTextError) return { ok: false, message: e.message };
    throw e;
  }
}

const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(PROTOCOL_NUMBERS).map(([name, n]) => [n, name]));
const TCP_FLAG_BITS: Readonly<Record<string, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 };

function readPacketSet(text: string): PacketQuery {
  const m = /^\s*(\S+)\s+(\S+?)\s*->\s*(\S+?)((?:\s*\[[^\]]*\])*)\s*$/.exec(text);
  if (!m) fail('expected "PROTOS SRC[:PORTS] -> DST[:PORTS] [options]", e.g. "tcp any -> 10.0.0.1:1-1024"');
  const [, protoText, srcText, dstText, optionText] = m as unknown as [string, string, string, string, string];
  const src = endpoint(srcText, "source");
  const dst = endpoint(dstText, "destination");
  const set = boxOf({ proto: protocols(protoText), src: src.addresses, dst: dst.addresses, sport: src.ports, dport: dst.ports });
  return { set, fixed: options(optionText) };
}

function protocols(text: string): Intervals {
  if (text.toLowerCase() === "any" || text.toLowerCase() === "all") return [0, 255];
  return iv.fromRanges(
    text.split(",").map((word): [number, number] => {
      const lower = word.toLowerCase();
      if (lower === "icmpv6" || lower === "icmp6" || lower === "ipv6-icmp") fail("reach and diff answer for IPv4 packets only");
      const named = PROTOCOL_NUMBERS[lower as keyof typeof PROTOCOL_NUMBERS];
      if (named !== undefined) return [named, named];
      const r = numberRange(word, 0, 255, "protocol");
      return r ?? fail(`unknown protocol "${word}" (tcp, udp, icmp, … a number, or any)`);
    }),
  );
}

function endpoint(text: string, what: string): { addresses: Intervals; ports: Intervals } {
  if (text.startsWith("[")) fail("reach and diff answer for IPv4 packets only");
  const colon = text.lastIndexOf(":");
  const addressText = colon < 0 ? text : text.slice(0, colon);
  const portText = colon < 0 ? "any" : text.slice(colon + 1);
  return { addresses: addresses(addressText, what), ports: ports(portText, what) };
}

function addresses(text: string, what: string): Intervals {
  if (text.toLowerCase() === "any") return [0, FIELD_MAX.src];
  return iv.fromRanges(
    text.split(",").map((word): [number, number] => {
      const cidr = /^([0-9.]+)\/(\d+)$/.exec(word);
      if (cidr) {
        const base = parseIPv4(cidr[1]!);
        const length = Number(cidr[2]);
        if (base === undefined || length > 32) fail(`${what} "${word}" is not an IPv4 address or CIDR`);
        const size = 2 ** (32 - length);
        const lo = Math.floor(base / size) * size;
        return [lo, lo + size - 1];
      }
      const dash = word.indexOf("-");
      const lo = parseIPv4(dash < 0 ? word : word.slice(0, dash));
      const hi = dash < 0 ? lo : parseIPv4(word.slice(dash + 1));
      if (lo === undefined || hi === undefined) fail(`${what} "${word}" is not an IPv4 address, CIDR or range A-B (IPv6 is not handled by reach and diff)`);
      if (lo > hi) fail(`${what} range "${word}" ends before it starts`);
      return [lo, hi];
    }),
  );
}

function ports(text: string, what: string): Intervals {
  if (text.toLowerCase() === "any" || text === "") return [0, 65535];
  return iv.fromRanges(text.split(",").map((word) => numberRange(word, 0, 65535, `${what} port`) ?? fail(`${what} port "${word}" is not a number or range N-M from 0 to 65535`)));
}

function numberRange(word: string, min: number, max: number, what: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(word);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < min || hi > max) fail(`${what} "${word}" is outside ${min}-${max}`);
  if (lo > hi) fail(`${what} range "${word}" ends before it starts`);
  return [lo, hi];
}

function options(text: string): FixedFields {
  let fixed = DEFAULT_FIXED;
  for (const [, inner] of text.matchAll(/\[([^\]]*)\]/g)) {
    const words = inner!.trim().split(/\s+/);
    if (words.length % 2 !== 0) fail(`"[${inner}]" should hold pairs like [flags SYN,ACK] or [type 8]`);
    for (let i = 0; i < words.length; i += 2) {
      const key = words[i]!.toLowerCase();
      const value = words[i + 1]!;
      switch (key) {
        case "flags":
          fixed = { ...fixed, flags: tcpFlags(value) };
          break;
        case "type": {
          const named = icmpTypeByName("icmp", value);
          fixed = { ...fixed, icmpType: named?.type ?? whole(value, "type", 255), icmpCode: named?.code ?? fixed.icmpCode };
          break;
        }
        case "code":
          fixed = { ...fixed, icmpCode: whole(value, "code", 255) };
          break;
        case "ttl":
          fixed = { ...fixed, ttl: whole(value, "ttl", 255) };
          break;
        case "tos":
          fixed = { ...fixed, tos: whole(value, "tos", 255) };
          break;
        default:
          fail(`unknown packet option "${key}" (known: flags, type, code, ttl, tos)`);
      }
    }
  }
  return fixed;
}

function whole(text: string, what: string, max: number): number {
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= max)) fail(`${what} "${text}" is not a number from 0 to ${max}`);
  return value;
}

function tcpFlags(text: string): number {
  if (text.toUpperCase() === "NONE") return 0;
  let bits = 0;
  for (const name of text.toUpperCase().split(/[,|]/)) bits |= TCP_FLAG_BITS[name] ?? fail(`unknown TCP flag "${name}" (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, NONE)`);
  return bits;
}

// ---- writing ----

const PORT_PROTOCOLS: Intervals = iv.fromRanges([6, 17, 33, 132, 136].map((p) => [p, p]));

function isFull(list: Intervals, field: Field): boolean {
  return list.length === 2 && list[0] === 0 && list[1] === FIELD_MAX[field];
}

/** A range as the JSON box lists write it: `"80"`, `"80-90"`, `"10.0.0.0-10.255.255.255"`, a protocol by name. */
function rangeText(field: Field, lo: number, hi: number): string {
  if (field === "proto" && lo === hi) return PROTOCOL_NAMES.get(lo) ?? String(lo);
  const one = (v: number) => (field === "src" || field === "dst" ? formatIPv4(v) : String(v));
  return lo === hi ? one(lo) : `${one(lo)}-${one(hi)}`;
}

/** A box as JSON: each field a list of ranges; a field left out is unrestricted. */
export function boxJson(box: Box): Partial<Record<Field, string[]>> {
  const out: Partial<Record<Field, string[]>> = {};
  FIELDS.forEach((field, i) => {
    const list = box[i]!;
    if (isFull(list, field)) return;
    // Ports mean nothing to a box of portless protocols.
    if ((field === "sport" || field === "dport") && !iv.overlaps(box[0]!, PORT_PROTOCOLS)) return;
    const ranges: string[] = [];
    for (let k = 0; k < list.length; k += 2) ranges.push(rangeText(field, list[k]!, list[k + 1]!));
    out[field] = ranges;
  });
  return out;
}

/** An address list as CIDRs where a range is exactly one, else A-B. */
function addressText(list: Intervals): string {
  if (isFull(list, "src")) return "any";
  const words: string[] = [];
  for (let k = 0; k < list.length; k += 2) {
    const lo = list[k]!;
    const hi = list[k + 1]!;
    const size = hi - lo + 1;
    const bits = Math.log2(size);
    words.push(lo === hi ? formatIPv4(lo) : Number.isInteger(bits) && lo % size === 0 ? `${formatIPv4(lo)}/${32 - bits}` : `${formatIPv4(lo)}-${formatIPv4(hi)}`);
  }
  return words.join(",");
}

function listText(list: Intervals, field: Field): string {
  if (isFull(list, field)) return "any";
  const words: string[] = [];
  for (let k = 0; k < list.length; k += 2) words.push(rangeText(field, list[k]!, list[k + 1]!));
  return words.join(",");
}

/** A box written as PACKETSET (ports only where the box's protocols have them and they are restricted). */
export function boxText(box: Box): string {
  const [proto, src, dst, sport, dport] = box as [Intervals, Intervals, Intervals, Intervals, Intervals];
  const withPorts = iv.overlaps(proto, PORT_PROTOCOLS);
  const side = (addresses: Intervals, ports: Intervals) => addressText(addresses) + (withPorts && !isFull(ports, "sport") ? `:${listText(ports, "sport")}` : "");
  return `${listText(proto, "proto")} ${side(src, sport)} -> ${side(dst, dport)}`;
}

// ---- packets of a set ----

/** Which protocol an example shows first: a connection users ask about most. */
const PREFERRED_PROTOCOLS = [6, 17, 1];
const PREFERRED_SPORT = 40000;
/** 203.0.113.7 (TEST-NET-3) as the far end, when the set has it. */
const PREFERRED_ADDRESS = 0xcb007107;

function pick(list: Intervals, preferred: readonly number[]): number {
  for (const p of preferred) if (iv.hasValue(list, p)) return p;
  // The middle of the first range avoids network and broadcast addresses, port 0 and protocol 0 when it can.
  const lo = list[0]!;
  const hi = list[1]!;
  return lo === hi ? lo : hi - lo === 1 ? hi : lo + 1;
}

/** One packet of a non-empty set, as a point: the nicest the set allows. */
export function examplePoint(s: PacketSet): Point {
  const box = s[0]!;
  const proto = pick(box[0]!, PREFERRED_PROTOCOLS);
  const src = pick(box[1]!, [PREFERRED_ADDRESS]);
  const dst = pick(box[2]!, [PREFERRED_ADDRESS]);
  const sport = pick(box[3]!, [PREFERRED_SPORT]);
  const dport = pick(box[4]!, [80, 22, 443, 8080]);
  return [proto, src, dst, sport, dport];
}

export function transportOf(point: Point, fixed: FixedFields): Transport {
  const [proto, , , sport, dport] = point as [number, number, number, number, number];
  const name = PROTOCOL_NAMES.get(proto);
  if (name === "tcp") return { kind: "tcp", sport, dport, flags: fixed.flags };
  if (name === "udp" || name === "udplite" || name === "sctp" || name === "dccp") return { kind: name, sport, dport };
  if (name === "icmp") return { kind: "icmp", type: fixed.icmpType, code: fixed.icmpCode };
  return { kind: "other" };
}

const TRANSPORT_HEADER: Readonly<Record<Transport["kind"], number>> = { tcp: 20, udp: 8, udplite: 8, icmp: 8, icmpv6: 8, sctp: 12, dccp: 12, other: 0 };

/** The packet `trace` makes of the point's PACKET. */
export function packetAt(point: Point, fixed: FixedFields): Packet {
  const transport = transportOf(point, fixed);
  return {
    family: "ipv4",
    src: { family: "ipv4", value: point[1]! },
    dst: { family: "ipv4", value: point[2]! },
    protocol: point[0]!,
    transport,
    ttl: fixed.ttl,
    tos: fixed.tos,
    length: 20 + TRANSPORT_HEADER[transport.kind],
    fragmentOffset: 0,
    moreFragments: false,
  };
}

/** The point written as a PACKET for `nfwalk trace`. */
export function packetText(point: Point, fixed: FixedFields): string {
  const t = transportOf(point, fixed);
  const proto = PROTOCOL_NAMES.get(point[0]!) ?? String(point[0]);
  const ports = "sport" in t;
  const end = (address: number, port: number) => formatIPv4(address) + (ports ? `:${port}` : "");
  const extra = (fixed.ttl !== 64 ? ` [ttl ${fixed.ttl}]` : "") + (fixed.tos !== 0 ? ` [tos ${fixed.tos}]` : "");
  const option = t.kind === "tcp" ? ` [flags ${flagNames(t.flags)}]` : t.kind === "icmp" ? ` [type ${t.type}] [code ${t.code}]` : "";
  return `${proto} ${end(point[1]!, point[3]!)} -> ${end(point[2]!, point[4]!)}${option}${extra}`;
}

function flagNames(bits: number): string {
  if (bits === 0) return "NONE";
  return Object.entries(TCP_FLAG_BITS)
    .filter(([, bit]) => bits & bit)
    .map(([name]) => name)
    .join(",");
}

/** A packet's modelled fields as a point (ports 0 when it has none). */
export function pointOf(packet: Packet): Point {
  const t = packet.transport;
  const ports = "sport" in t;
  return [packet.protocol, packet.src.value as number, packet.dst.value as number, ports ? t.sport : 0, ports ? t.dport : 0];
}
