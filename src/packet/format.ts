/** Short texts for addresses and packets, as traces show them. */
import { formatIPv4, formatIPv6 } from "../model/address.js";
import { hasPorts, type Address, type Packet } from "./packet.js";

export function sameAddress(a: Address, b: Address): boolean {
  return a.family === b.family && a.value === b.value;
}

/** An address as `ip` prints it. */
export function formatAddress(address: Address): string {
  return address.family === "ipv4" ? formatIPv4(address.value) : formatIPv6(address.value);
}

/** `10.0.0.1:80`, `[2001:db8::1]:80`, or the bare address without ports. */
export function formatEndpoint(address: Address, port: number | undefined): string {
  const text = formatAddress(address);
  // The family says whether brackets are needed (withPort searches the text for a colon): traces print several a packet.
  if (port === undefined) return text;
  return address.family === "ipv6" ? `[${text}]:${port}` : `${text}:${port}`;
}

/** An address already written as text, with the port after it (IPv6 in brackets). */
export function withPort(address: string, port: number | undefined): string {
  if (port === undefined) return address;
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `DST[:PORT]`: where the packet is going. */
export function describeDestination(packet: Packet): string {
  const t = packet.transport;
  return formatEndpoint(packet.dst, hasPorts(t) ? t.dport : undefined);
}

/** `SRC[:PORT] -> DST[:PORT]`, as the trace prints a packet. */
export function describePacket(packet: Packet): string {
  const t = packet.transport;
  const ports = hasPorts(t);
  return `${formatEndpoint(packet.src, ports ? t.sport : undefined)} -> ${formatEndpoint(packet.dst, ports ? t.dport : undefined)}`;
}
