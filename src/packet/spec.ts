/**
 * The packet a user describes on the command line:
 *
 *     tcp 10.99.0.2:40000 -> 10.99.0.1:8080 [flags SYN,ACK]
 *     udp [2001:db8::2]:5353 -> [2001:db8::1]:53
 *     icmp 10.99.0.2 -> 10.99.0.1 [type echo-request]
 *     gre 10.0.0.1 -> 10.0.0.2 [ttl 1] [length 100]
 *
 * Options in brackets: flags (TCP, default SYN), type and code (ICMP,
 * default echo-request), ttl (64), tos (0), length (headers only), frag
 * (fragment offset in 8-byte units; non-zero makes a later fragment).
 */
import { parseIPv4, parseIPv6 } from "../model/address.js";
import type { Family } from "../model/types.js";
import { icmpTypeByName } from "./icmp-names.js";
import { isOtherFamilyIcmp, otherFamilyIcmpName, PROTOCOL_NUMBERS, packetProtocolName, type Address, type Packet, type Transport } from "./packet.js";

/** The packet, or what is wrong with the text. */
export type PacketSpecResult = { readonly ok: true; readonly packet: Packet } | { readonly ok: false; readonly message: string };

const TCP_FLAG_BITS: ReadonlyMap<string, number> = new Map([
  ["FIN", 1],
  ["SYN", 2],
  ["RST", 4],
  ["PSH", 8],
  ["ACK", 16],
  ["URG", 32],
  ["ECE", 64],
  ["CWR", 128],
]);

const IP_HEADER: Readonly<Record<Family, number>> = { ipv4: 20, ipv6: 40 };

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(["flags", "type", "code", "ttl", "tos", "length", "frag"]);

/** What a packet without [options] has (a --batch has thousands of such packets: no map each). */
const NO_OPTIONS: ReadonlyMap<string, string> = new Map();

/** Reads a packet as the command takes it: `PROTO SRC[:PORT] -> DST[:PORT] [options]`, e.g. `tcp 10.0.0.2:40000 -> 10.0.0.1:80 [flags SYN]`. */
export function parsePacketSpec(text: string): PacketSpecResult {
  try {
    return { ok: true, packet: new SpecReader(text).read() };
  } catch (e) {
    if (e instanceof SpecError) return { ok: false, message: e.message };
    throw e;
  }
}

class SpecError extends Error {}

function fail(message: string): never {
  throw new SpecError(message);
}

interface Endpoint {
  readonly address: Address;
  readonly port: number | undefined;
}

class SpecReader {
  constructor(private readonly text: string) {}

  read(): Packet {
    // Endpoints hold no blanks ([v6]:port included); every option group does.
    const m = /^\s*(\S+)\s+(\S+?)\s*->\s*(\S+?)((?:\s*\[[^\]]*\])*)\s*$/.exec(this.text);
    if (!m) fail(`expected "PROTO SRC[:PORT] -> DST[:PORT] [options]", e.g. "tcp 10.0.0.2:40000 -> 10.0.0.1:80"`);
    const [, protoText, srcText, dstText, optionText] = m as unknown as [string, string, string, string, string];
    const options = optionText === "" ? NO_OPTIONS : optionsOf(optionText);
    const protocol = protocolOf(protoText.toLowerCase());
    const src = endpoint(srcText, "source");
    const dst = endpoint(dstText, "destination");
    if (src.address.family !== dst.address.family) fail("source and destination are of different address families");
    const family = src.address.family;
    // The other family's ICMP by number is a packet of its own (no ICMP header); by name it is surely a slip.
    if (isOtherFamilyIcmp(protocol, family) && !/^[0-9]+$/.test(protoText)) fail(otherFamilyIcmpName(family));
    const transport = this.transport(protocol, family, src, dst, options);
    for (const key of options.keys()) if (!KNOWN_OPTIONS.has(key)) fail(`unknown packet option "${key}" (known: ${[...KNOWN_OPTIONS].join(", ")})`);
    const fragmentOffset = options.has("frag") ? number(options.get("frag")!, "frag", 0, 8191) : 0;
    return {
      family,
      src: src.address,
      dst: dst.address,
      protocol,
      transport,
      ttl: options.has("ttl") ? number(options.get("ttl")!, "ttl", 0, 255) : 64,
      tos: options.has("tos") ? number(options.get("tos")!, "tos", 0, 255) : 0,
      length: options.has("length") ? number(options.get("length")!, "length", 1, 65535) : IP_HEADER[family] + headerLength(transport),
      fragmentOffset,
      moreFragments: false,
    };
  }

  private transport(protocol: number, family: Family, src: Endpoint, dst: Endpoint, options: ReadonlyMap<string, string>): Transport {
    const kind = isOtherFamilyIcmp(protocol, family) ? undefined : packetProtocolName(protocol);
    if (kind === "tcp" || kind === "udp" || kind === "udplite" || kind === "sctp" || kind === "dccp") {
      if (src.port === undefined || dst.port === undefined) fail(`${kind} needs ports: "${kind} 10.0.0.2:40000 -> 10.0.0.1:80"`);
      if (kind !== "tcp") {
        if (options.has("flags")) fail("flags are for tcp packets");
        return { kind, sport: src.port, dport: dst.port };
      }
      return { kind, sport: src.port, dport: dst.port, flags: tcpFlags(options.get("flags") ?? "SYN") };
    }
    if (src.port !== undefined || dst.port !== undefined) fail(`ports are only for tcp, udp, udplite, sctp and dccp`);
    if (kind === "icmp" || kind === "icmpv6") {
      const typeText = options.get("type") ?? (kind === "icmp" ? "echo-request" : "echo-request");
      const named = icmpTypeByName(kind, typeText);
      const type = named?.type ?? number(typeText, "type", 0, 255);
      const code = options.has("code") ? number(options.get("code")!, "code", 0, 255) : (named?.code ?? 0);
      return { kind, type, code };
    }
    return { kind: "other" };
  }
}

/** The [name value] pairs of the option groups, by lower-case name. */
function optionsOf(optionText: string): ReadonlyMap<string, string> {
  const options = new Map<string, string>();
  for (const [, inner] of optionText.matchAll(/\[([^\]]*)\]/g)) {
    const words = inner!.trim().split(/\s+/);
    if (words.length % 2 !== 0) fail(`"[${inner}]" should hold pairs like [flags SYN,ACK] or [type 8]`);
    for (let i = 0; i < words.length; i += 2) options.set(words[i]!.toLowerCase(), words[i + 1]!);
  }
  return options;
}

function protocolOf(text: string): number {
  if (text === "icmp6" || text === "ipv6-icmp") return PROTOCOL_NUMBERS.icmpv6;
  // Own names only: "constructor" is in every object.
  if (Object.hasOwn(PROTOCOL_NUMBERS, text)) return PROTOCOL_NUMBERS[text as keyof typeof PROTOCOL_NUMBERS];
  if (/^[0-9]+$/.test(text) && Number(text) <= 255) return Number(text);
  return fail(`unknown protocol "${text}" (tcp, udp, icmp, icmpv6, sctp, … or a number)`);
}

function endpoint(text: string, what: string): Endpoint {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { address: address(bracketed[1]!, what), port: port(bracketed[2], what) };
  const v4 = /^([0-9.]+)(?::(\d+))?$/.exec(text);
  if (v4) return { address: address(v4[1]!, what), port: port(v4[2], what) };
  return { address: address(text, what), port: undefined };
}

function address(text: string, what: string): Address {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: "ipv4", value: v4 };
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { family: "ipv6", value: v6 };
  return fail(`${what} "${text}" is not an IP address (IPv6 with a port: [2001:db8::1]:80)`);
}

function port(text: string | undefined, what: string): number | undefined {
  return text === undefined ? undefined : number(text, `${what} port`, 0, 65535);
}

function number(text: string, what: string, min: number, max: number): number {
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) fail(`${what} "${text}" is not a number from ${min} to ${max}`);
  return value;
}

function tcpFlags(text: string): number {
  if (text.toUpperCase() === "NONE") return 0;
  let bits = 0;
  for (const name of text.toUpperCase().split(/[,|]/)) {
    const bit = TCP_FLAG_BITS.get(name) ?? fail(`unknown TCP flag "${name}" (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, NONE)`);
    bits |= bit;
  }
  return bits;
}

function headerLength(t: Transport): number {
  switch (t.kind) {
    case "tcp":
      return 20;
    case "udp":
    case "udplite":
    case "icmp":
    case "icmpv6":
      return 8;
    case "sctp":
      return 12;
    case "dccp":
      return 12;
    case "other":
      return 0;
  }
}
