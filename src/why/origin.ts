/**
 * Where a packet comes from when `why` is not told: a source that is one of
 * the host's addresses is sent by the host; any other arrives on the
 * interface the host would route an answer to it through (the reverse route).
 */
import type { Ingress } from "../engine/pipeline.js";
import { addressType, routeOutput, type Host } from "../host/index.js";
import { formatAddress } from "../packet/format.js";
import type { Packet } from "../packet/packet.js";

/** Where the packet comes from when `why` is not told: sent by the host, or arriving where the host routes its source. */
export function inferOrigin(host: Host, packet: Packet): { ingress: Ingress; how: string } | { error: string } {
  const source = formatAddress(packet.src);
  if (addressType(host, packet.src) === "LOCAL") return { ingress: { kind: "local" }, how: `${source} is the host's own address` };
  const back = routeOutput(host, { ...packet, src: packet.dst, dst: packet.src });
  if (back.kind === "drop") return { error: `cannot tell where ${source} comes from (${back.detail}); say --in IFACE or --local` };
  return { ingress: { kind: "interface", name: back.device }, how: `the host routes ${source} through ${back.device}` };
}

/** `tcp 203.0.113.7 -> 10.0.0.5:8080`: a port protocol's missing source port becomes the ephemeral 40000. */
export function withSourcePort(text: string): string {
  const m = /^(\s*(?:tcp|udp|udplite|sctp|dccp)\s+)(\S+?)(\s*->.*)$/i.exec(text);
  if (!m) return text;
  const [, head, source, rest] = m as unknown as [string, string, string, string];
  const hasPort = /^\[.*\]:\d+$/.test(source) || /^[0-9.]+:\d+$/.test(source);
  if (hasPort) return text;
  return `${head}${source.includes(":") && !source.startsWith("[") ? `[${source}]` : source}:40000${rest}`;
}
