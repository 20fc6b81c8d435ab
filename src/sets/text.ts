/**
 * PACKETSET, the command-line form of a set of packets (the contract's
 * "Packet sets" section), read and written; the JSON form of boxes; and the
 * packets of a set as PACKETs `trace` reads.
 *
 *     tcp,udp 203.0.113.0/24 -> 10.99.0.1:1-1024,8080 [flags SYN]
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "../model/address.js";
import type { Family } from "../model/types.js";
import { icmpTypeByName } from "../packet/icmp-names.js";
import { otherFamilyIcmpName, PROTOCOL_NUMBERS, protocolWord, type Address, type Packet, type Transport } from "../packet/packet.js";
import { addressRanges, ALL_V6, boxAddressRanges, pointAddress, wordsOf, type AddressField, type AddressValue } from "./address-set.js";
import * as iv from "./intervals.js";
import type { Intervals } from "./intervals.js";
import { boxOf, DST_WORDS, FIELD_MAX, FIELDS, intersect, padBox, SRC_WORDS, V6_BOX_LENGTH, type Box, type Field, type PacketSet, type Point } from "./packet-set.js";

/** The fields a set leaves alone: one value for all its packets. */
export interface FixedFields {
  /** The address family: a set (and a dump) holds packets of one. */
  readonly family: Family;
  /** TCP flags (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128) of its TCP packets. */
  readonly flags: number;
  /** ICMP type and code of its ICMP packets. */
  readonly icmpType: number;
  readonly icmpCode: number;
  readonly ttl: number;
  readonly tos: number;
  /** The whole packet's length, when `[length N]` sets it; else each packet is as long as its headers, as `trace` makes it. */
  readonly length?: number;
}

/** What `trace` gives an IPv4 packet when nothing is said: a SYN, an echo request, TTL 64. */
export const DEFAULT_FIXED: FixedFields = { family: "ipv4", flags: 0x02, icmpType: 8, icmpCode: 0, ttl: 64, tos: 0 };

/** The same for either family (ICMPv6's echo request is type 128). */
export function defaultFixed(family: Family): FixedFields {
  return family === "ipv4" ? DEFAULT_FIXED : { ...DEFAULT_FIXED, family, icmpType: 128 };
}

/** A set of packets as a query: the modelled fields as boxes, the rest fixed. */
export interface PacketQuery {
  readonly set: PacketSet;
  readonly fixed: FixedFields;
}

/** A PACKETSET read: the query, or what is wrong with the text. */
export type PacketSetResult = { readonly ok: true; readonly query: PacketQuery } | { readonly ok: false; readonly message: string };

class SetTextError extends Error {}

function fail(message: string): never {
  throw new SetTextError(message);
}

/** A PACKETSET of the family's packets (`any` alone says nothing of the family; an address of the other one is refused). */
export function parsePacketSet(text: string, family: Family = "ipv4"): PacketSetResult {
  try {
    return { ok: true, query: readPacketSet(text, family) };
  } catch (e) {
    if (e instanceof SetTextError) return { ok: false, message: e.message };
    throw e;
  }
}

const TCP_FLAG_BITS: Readonly<Record<string, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 };

function readPacketSet(text: string, family: Family): PacketQuery {
  const m = /^\s*(\S+)\s+(\S+?)\s*->\s*(\S+?)((?:\s*\[[^\]]*\])*)\s*$/.exec(text);
  if (!m) fail('expected "PROTOS SRC[:PORTS] -> DST[:PORTS] [options]", e.g. "tcp any -> 10.0.0.1:1-1024" or "tcp any -> [2001:db8::1]:22"');
  const [, protoText, srcText, dstText, optionText] = m as unknown as [string, string, string, string, string];
  const src = endpoint(srcText, "source", family);
  const dst = endpoint(dstText, "destination", family);
  const ports = boxOf({ proto: protocols(protoText, family), sport: src.ports, dport: dst.ports });
  const set = intersect(intersect(ports, addressRanges("src", family, src.addresses)), addressRanges("dst", family, dst.addresses));
  return { set, fixed: options(optionText, family) };
}

const ICMPV6_NAMES = new Set(["icmpv6", "icmp6", "ipv6-icmp"]);

function protocols(text: string, family: Family): Intervals {
  if (text.toLowerCase() === "any" || text.toLowerCase() === "all") return [0, 255];
  return iv.fromRanges(
    text.split(",").map((word): [number, number] => {
      const lower = word.toLowerCase();
      if (ICMPV6_NAMES.has(lower)) {
        if (family === "ipv4") fail("icmpv6 is for IPv6 packets, and the rules are an iptables (IPv4) dump");
        return [PROTOCOL_NUMBERS.icmpv6, PROTOCOL_NUMBERS.icmpv6];
      }
      // Next header 1 itself is "1"; the name means ICMPv6 here, surely a slip.
      if (lower === "icmp" && family === "ipv6") fail(otherFamilyIcmpName(family));
      const named = PROTOCOL_NUMBERS[lower as keyof typeof PROTOCOL_NUMBERS];
      if (named !== undefined) return [named, named];
      const r = numberRange(word, 0, 255, "protocol");
      return r ?? fail(`unknown protocol "${word}" (tcp, udp, icmp, … a number, or any)`);
    }),
  );
}

type Ranges = readonly (readonly [AddressValue, AddressValue])[];

/** ADDRESSES[:PORTS]; IPv6 addresses in brackets when ports follow (`[2001:db8::/32]:22`), bare without. */
function endpoint(text: string, what: string, family: Family): { addresses: Ranges; ports: Intervals } {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) return { addresses: addresses(bracketed[1]!, what, family), ports: ports(bracketed[2] ?? "any", what) };
  // Two colons or more: IPv6 addresses without a port.
  if (text.indexOf(":") !== text.lastIndexOf(":")) return { addresses: addresses(text, what, family), ports: ports("any", what) };
  const colon = text.lastIndexOf(":");
  const addressText = colon < 0 ? text : text.slice(0, colon);
  const portText = colon < 0 ? "any" : text.slice(colon + 1);
  return { addresses: addresses(addressText, what, family), ports: ports(portText, what) };
}

function addresses(text: string, what: string, family: Family): Ranges {
  if (text.toLowerCase() === "any") return [family === "ipv4" ? [0, FIELD_MAX.src] : [0n, ALL_V6]];
  return text.split(",").map((word) => addressWords(word, what, family));
}

/** One address, CIDR or range A-B of the family. */
function addressWords(word: string, what: string, family: Family): readonly [AddressValue, AddressValue] {
  const slash = word.indexOf("/");
  if (slash >= 0) {
    const base = one(word.slice(0, slash), word, what, family);
    const bits = family === "ipv4" ? 32 : 128;
    const length = /^\d+$/.test(word.slice(slash + 1)) ? Number(word.slice(slash + 1)) : NaN;
    if (!(length <= bits)) fail(`${what} "${word}": the prefix length is not a number from 0 to ${bits}`);
    if (typeof base === "number") {
      const size = 2 ** (32 - length);
      const lo = Math.floor(base / size) * size;
      return [lo, lo + size - 1];
    }
    const host = (1n << BigInt(128 - length)) - 1n;
    return [base & ~host & ALL_V6, (base & ~host & ALL_V6) | host];
  }
  const dash = word.indexOf("-");
  const lo = one(dash < 0 ? word : word.slice(0, dash), word, what, family);
  const hi = dash < 0 ? lo : one(word.slice(dash + 1), word, what, family);
  if (lo > hi) fail(`${what} range "${word}" ends before it starts`);
  return [lo, hi];
}

function one(text: string, word: string, what: string, family: Family): AddressValue {
  const v4 = parseIPv4(text);
  const v6 = v4 === undefined ? parseIPv6(text) : undefined;
  if (v4 === undefined && v6 === undefined) fail(`${what} "${word}" is not an address, CIDR or range A-B (IPv6 with a port: [2001:db8::/32]:22)`);
  const found: Family = v4 !== undefined ? "ipv4" : "ipv6";
  if (found !== family) fail(`${what} "${word}" is an ${found === "ipv4" ? "IPv4" : "IPv6"} address, and the rules are an ${family === "ipv4" ? "iptables (IPv4)" : "ip6tables (IPv6)"} dump`);
  return v4 ?? v6!;
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

function options(text: string, family: Family): FixedFields {
  let fixed = defaultFixed(family);
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
          const named = icmpTypeByName(family === "ipv4" ? "icmp" : "icmpv6", value);
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
        case "length": {
          const length = whole(value, "length", 65535);
          if (length < 1) fail(`length "${value}" is not a number from 1 to 65535`);
          fixed = { ...fixed, length };
          break;
        }
        default:
          fail(`unknown packet option "${key}" (known: flags, type, code, ttl, tos, length)`);
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

/** Every address of the family in `field`: the box leaves it unrestricted. */
function anyAddress(box: Box, field: AddressField, family: Family): boolean {
  const positions = family === "ipv4" ? [field === "src" ? 1 : 2] : field === "src" ? SRC_WORDS : DST_WORDS;
  return positions.every((i) => box[i] === undefined || isFull(box[i]!, "src"));
}

function formatAddressValue(value: AddressValue): string {
  return typeof value === "number" ? formatIPv4(value) : formatIPv6(value);
}

/** A range as the JSON box lists write it: `"80"`, `"80-90"`, a protocol by name as a PACKET of the family writes it. */
function rangeText(field: Field, lo: number, hi: number, family: Family): string {
  if (field === "proto" && lo === hi) return protocolWord(lo, family);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/** An address range as JSON writes it: `"10.0.0.1"`, `"10.0.0.0-10.255.255.255"`. */
function addressRangeText([lo, hi]: readonly [AddressValue, AddressValue]): string {
  return lo === hi ? formatAddressValue(lo) : `${formatAddressValue(lo)}-${formatAddressValue(hi)}`;
}

/** A box as JSON: each field a list of ranges; a field left out is unrestricted. */
export function boxJson(box: Box, family: Family = "ipv4"): Partial<Record<Field, string[]>> {
  const out: Partial<Record<Field, string[]>> = {};
  FIELDS.forEach((field, i) => {
    if (field === "src" || field === "dst") {
      if (!anyAddress(box, field, family)) out[field] = boxAddressRanges(box, field, family).map(addressRangeText);
      return;
    }
    const list = box[i]!;
    if (isFull(list, field)) return;
    // Ports mean nothing to a box of portless protocols.
    if ((field === "sport" || field === "dport") && !iv.overlaps(box[0]!, PORT_PROTOCOLS)) return;
    const ranges: string[] = [];
    for (let k = 0; k < list.length; k += 2) ranges.push(rangeText(field, list[k]!, list[k + 1]!, family));
    out[field] = ranges;
  });
  return out;
}

/** An address list as CIDRs where a range is exactly one, else A-B. */
function addressText(box: Box, field: AddressField, family: Family): string {
  if (anyAddress(box, field, family)) return "any";
  const bits = family === "ipv4" ? 32 : 128;
  return boxAddressRanges(box, field, family)
    .map(([lo, hi]) => {
      if (lo === hi) return formatAddressValue(lo);
      const size = BigInt(hi) - BigInt(lo) + 1n;
      const hostBits = size.toString(2).length - 1;
      const prefix = size === 1n << BigInt(hostBits) && BigInt(lo) % size === 0n;
      return prefix ? `${formatAddressValue(lo)}/${bits - hostBits}` : `${formatAddressValue(lo)}-${formatAddressValue(hi)}`;
    })
    .join(",");
}

function listText(list: Intervals, field: Field, family: Family): string {
  if (isFull(list, field)) return "any";
  const words: string[] = [];
  for (let k = 0; k < list.length; k += 2) words.push(rangeText(field, list[k]!, list[k + 1]!, family));
  return words.join(",");
}

/** A box written as PACKETSET (ports only where the box's protocols have them and they are restricted). */
export function boxText(box: Box, family: Family = "ipv4"): string {
  const [proto, , , sport, dport] = box as [Intervals, Intervals, Intervals, Intervals, Intervals];
  const withPorts = iv.overlaps(proto, PORT_PROTOCOLS);
  const side = (field: AddressField, ports: Intervals) => {
    const addresses = addressText(box, field, family);
    if (!withPorts || isFull(ports, "sport")) return addresses;
    return `${family === "ipv6" && addresses !== "any" ? `[${addresses}]` : addresses}:${listText(ports, "sport", family)}`;
  };
  return `${listText(proto, "proto", family)} ${side("src", sport)} -> ${side("dst", dport)}`;
}

// ---- packets of a set ----

/** Which protocol an example shows first: a connection users ask about most. */
const PREFERRED_PROTOCOLS: Readonly<Record<Family, readonly number[]>> = { ipv4: [6, 17, 1], ipv6: [6, 17, 58] };
const PREFERRED_SPORT = 40000;
/** 203.0.113.7 (TEST-NET-3) and 2001:db8::7 (the documentation prefix) as the far end, when the set has it. */
const PREFERRED_ADDRESS = 0xcb007107;
const PREFERRED_V6 = wordsOf(0x20010db8000000000000000000000007n);

function pick(list: Intervals, preferred: readonly number[]): number {
  for (const p of preferred) if (iv.hasValue(list, p)) return p;
  // The middle of the first range avoids network and broadcast addresses, port 0 and protocol 0 when it can.
  const lo = list[0]!;
  const hi = list[1]!;
  return lo === hi ? lo : hi - lo === 1 ? hi : lo + 1;
}

/** An IPv6 address of the box's words: 2001:db8::7 when it is there, else the lowest words with a nice last one. */
function pickV6(box: Box, positions: readonly number[]): number[] {
  if (positions.every((i, k) => iv.hasValue(box[i]!, PREFERRED_V6[k]!))) return [...PREFERRED_V6];
  return positions.map((i, k) => (k < 3 ? box[i]![0]! : pick(box[i]!, [])));
}

/** One packet of a non-empty set, as a point: the nicest the set allows. */
export function examplePoint(s: PacketSet, family: Family = "ipv4"): Point {
  const box = family === "ipv4" ? s[0]! : padBox(s[0]!, V6_BOX_LENGTH);
  const proto = pick(box[0]!, PREFERRED_PROTOCOLS[family]);
  const sport = pick(box[3]!, [PREFERRED_SPORT]);
  const dport = pick(box[4]!, [80, 22, 443, 8080]);
  if (family === "ipv4") return [proto, pick(box[1]!, [PREFERRED_ADDRESS]), pick(box[2]!, [PREFERRED_ADDRESS]), sport, dport];
  const src = pickV6(box, SRC_WORDS);
  const dst = pickV6(box, DST_WORDS);
  return [proto, src[0]!, dst[0]!, sport, dport, ...src.slice(1), ...dst.slice(1)];
}

/** The transport header `trace` gives the point's packet: its ports, or the set's fixed TCP flags or ICMP type. */
export function transportOf(point: Point, fixed: FixedFields): Transport {
  const [proto, , , sport, dport] = point as [number, number, number, number, number];
  // The other family's ICMP is a number here, a protocol without an ICMP header.
  const name = protocolWord(proto, fixed.family);
  if (name === "tcp") return { kind: "tcp", sport, dport, flags: fixed.flags };
  if (name === "udp" || name === "udplite" || name === "sctp" || name === "dccp") return { kind: name, sport, dport };
  if (name === "icmp" || name === "icmpv6") return { kind: name, type: fixed.icmpType, code: fixed.icmpCode };
  return { kind: "other" };
}

const TRANSPORT_HEADER: Readonly<Record<Transport["kind"], number>> = { tcp: 20, udp: 8, udplite: 8, icmp: 8, icmpv6: 8, sctp: 12, dccp: 12, other: 0 };
const IP_HEADER: Readonly<Record<Family, number>> = { ipv4: 20, ipv6: 40 };

function addressAt(point: Point, field: AddressField, family: Family): Address {
  const value = pointAddress(point, field, family);
  return typeof value === "number" ? { family: "ipv4", value } : { family: "ipv6", value };
}

/** The packet `trace` makes of the point's PACKET. */
export function packetAt(point: Point, fixed: FixedFields): Packet {
  const transport = transportOf(point, fixed);
  return {
    family: fixed.family,
    src: addressAt(point, "src", fixed.family),
    dst: addressAt(point, "dst", fixed.family),
    protocol: point[0]!,
    transport,
    ttl: fixed.ttl,
    tos: fixed.tos,
    length: fixed.length ?? IP_HEADER[fixed.family] + TRANSPORT_HEADER[transport.kind],
    fragmentOffset: 0,
    moreFragments: false,
  };
}

/** The point written as a PACKET for `nfwalk trace`. */
export function packetText(point: Point, fixed: FixedFields): string {
  const t = transportOf(point, fixed);
  const proto = protocolWord(point[0]!, fixed.family);
  const ports = "sport" in t;
  const end = (field: AddressField, port: number) => {
    const address = formatAddressValue(pointAddress(point, field, fixed.family));
    if (!ports) return address;
    return `${fixed.family === "ipv6" ? `[${address}]` : address}:${port}`;
  };
  const extra = (fixed.ttl !== 64 ? ` [ttl ${fixed.ttl}]` : "") + (fixed.tos !== 0 ? ` [tos ${fixed.tos}]` : "") + (fixed.length !== undefined ? ` [length ${fixed.length}]` : "");
  const option = t.kind === "tcp" ? ` [flags ${flagNames(t.flags)}]` : t.kind === "icmp" || t.kind === "icmpv6" ? ` [type ${t.type}] [code ${t.code}]` : "";
  return `${proto} ${end("src", point[3]!)} -> ${end("dst", point[4]!)}${option}${extra}`;
}

function flagNames(bits: number): string {
  if (bits === 0) return "NONE";
  return Object.entries(TCP_FLAG_BITS)
    .filter(([, bit]) => bits & bit)
    .map(([name]) => name)
    .join(",");
}

/** A packet's modelled fields as a point (ports 0 when it has none; an IPv6 address as four words). */
export function pointOf(packet: Packet): Point {
  const t = packet.transport;
  const ports = "sport" in t;
  const sport = ports ? t.sport : 0;
  const dport = ports ? t.dport : 0;
  if (packet.src.family === "ipv4" || packet.dst.family === "ipv4") return [packet.protocol, packet.src.value as number, packet.dst.value as number, sport, dport];
  const src = wordsOf(packet.src.value);
  const dst = wordsOf(packet.dst.value);
  return [packet.protocol, src[0], dst[0], sport, dport, src[1], src[2], src[3], dst[1], dst[2], dst[3]];
}
