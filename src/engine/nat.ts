/**
 * NAT as nf_nat_setup_info does it for a connection's first packet: the
 * destination (DNAT, REDIRECT) in PREROUTING/OUTPUT, the source (SNAT,
 * MASQUERADE) in POSTROUTING/INPUT. A port is kept when it is in the range
 * and no --random asks otherwise; a DNAT range that does not hold the port
 * gives its first port (the kernel starts the search at offset 0). Which
 * address of a multi-address range the kernel picks depends on a hash, so
 * nfwalk names the range.
 */
import type { NatRequest } from "../ext/semantics.js";
import type { NatRange } from "../ext/semantics.js";
import { formatIPv4, formatIPv6 } from "../model/address.js";
import { hasPorts, withHeader, withPorts, type Address, type Packet } from "../packet/packet.js";

export type NatSide = "source" | "destination";

export interface NatOutcome {
  readonly packet: Packet;
  /** What the trace should say beyond the rewrite (ranges, random ports). */
  readonly notes: readonly string[];
  /** The header field whose new value the kernel picks at random, if any. */
  readonly randomPort?: "sport" | "dport";
}

/** Rewrites one side of the packet; `interfaceAddress` is what MASQUERADE/REDIRECT take the address from. */
export function applyNat(packet: Packet, request: NatRequest, side: NatSide, interfaceAddress: Address | undefined): NatOutcome | string {
  const notes: string[] = [];
  const current = side === "source" ? packet.src : packet.dst;
  let address: Address = current;
  if (request.kind === "masquerade" || request.kind === "redirect") {
    if (!interfaceAddress) return `${request.kind === "masquerade" ? "MASQUERADE" : "REDIRECT"} needs an address on the interface, and it has none`;
    address = interfaceAddress;
  } else if (request.kind === "netmap") {
    address = netmapAddress(current, request);
  } else if (request.range.addresses) {
    const range = request.range.addresses;
    address = range.family === "ipv4" ? { family: "ipv4", value: range.min } : { family: "ipv6", value: range.min };
    if (range.min !== range.max) notes.push(`the kernel picks one address of ${formatAddressRange(request.range)} by a hash of the connection; nfwalk shows the first`);
  }
  const port = newPort(packet, request.range, side, notes);
  const random = port === RANDOM;
  const kept = hasPorts(packet.transport) ? (side === "source" ? packet.transport.sport : packet.transport.dport) : undefined;
  return { packet: rewrite(packet, side, address, random ? kept : port), notes, randomPort: random ? (side === "source" ? "sport" : "dport") : undefined };
}

function netmapAddress(current: Address, request: NatRequest): Address {
  const range = request.range.addresses!;
  const prefix = request.netmapPrefix ?? 32;
  if (current.family === "ipv4" && range.family === "ipv4") {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { family: "ipv4", value: ((range.min & mask) | (current.value & ~mask)) >>> 0 };
  }
  if (current.family === "ipv6" && range.family === "ipv6") {
    const all = (1n << 128n) - 1n;
    const mask = prefix === 0 ? 0n : (all << BigInt(128 - prefix)) & all;
    return { family: "ipv6", value: (range.min & mask) | (current.value & ~mask & all) };
  }
  return current;
}

/** The kernel draws the port at random: nfwalk cannot say which. */
const RANDOM = Symbol("random port");

function newPort(packet: Packet, range: NatRange, side: NatSide, notes: string[]): number | typeof RANDOM | undefined {
  const t = packet.transport;
  if (!hasPorts(t)) return undefined;
  const port = side === "source" ? t.sport : t.dport;
  const random = range.random || range.randomFully;
  const ports = range.ports;
  if (!random && (!ports || (port >= ports.min && port <= ports.max))) return port;
  if (side === "destination" && !random && ports) return ports.min;
  notes.push(`the kernel picks the ${side} port at random${ports ? ` from ${ports.min}-${ports.max}` : ""}`);
  return RANDOM;
}

function rewrite(packet: Packet, side: NatSide, address: Address, port: number | undefined): Packet {
  const t = packet.transport;
  const transport = port !== undefined && hasPorts(t) ? (side === "source" ? withPorts(t, port, t.dport) : withPorts(t, t.sport, port)) : t;
  return withHeader(packet, side === "source" ? { src: address, transport } : { dst: address, transport });
}

function formatAddressRange(range: NatRange): string {
  const a = range.addresses!;
  return a.family === "ipv4" ? `${formatIPv4(a.min)}-${formatIPv4(a.max)}` : `${formatIPv6(a.min)}-${formatIPv6(a.max)}`;
}
