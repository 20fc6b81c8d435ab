/**
 * Who can reach a published port, decided by tracing a representative packet
 * with the engine for each kind of client: one beyond the uplink, a process on
 * the host, and another container on the port's network.
 */
import { tracePacket, type Ingress } from "../engine/pipeline.js";
import { primaryAddress, routeOutput, type Host } from "../host/index.js";
import { sameAddress } from "../host/prefix.js";
import type { Ruleset } from "../ruleset/types.js";
import { formatEndpoint } from "../packet/format.js";
import { PROTOCOL_NUMBERS, type Address, type Packet } from "../packet/packet.js";
import { isLoopback, type PublishedPort } from "./published.js";

export type Client = "outside" | "host" | "containers";

export interface Reach {
  readonly client: Client;
  /** yes: the kernel sends it to the container; proxy: the host gets it, where docker-proxy relays it if the userland proxy runs. */
  readonly verdict: "yes" | "proxy" | "no" | "unknown";
  /** The packet traced, with where it came from. */
  readonly packet: string;
  readonly from: string;
  readonly detail: string;
}

const OUTSIDE: Readonly<Record<Address["family"], Address>> = {
  ipv4: { family: "ipv4", value: 0xcb007107 }, // 203.0.113.7
  ipv6: { family: "ipv6", value: (0x20010db8n << 96n) | 0xfff7n },
};

export function reachOf(ruleset: Ruleset, host: Host, port: PublishedPort): Reach[] {
  const family = port.container.address.family;
  const uplink = host.routes.find((r) => r.family === family && r.prefixLength === 0 && r.device)?.device;
  const uplinkAddress = uplink ? primaryAddress(host, uplink, family) : undefined;
  const target = port.hostAddress ?? uplinkAddress;
  const external = port.hostAddress && !isLoopback(port.hostAddress) ? port.hostAddress : uplinkAddress;
  const neighbour = nextAddress(port.container.address);
  const bridge = port.bridge ?? bridgeOf(host, probePacket(port, target ?? neighbour, port.container.address));
  const probes: { client: Client; src: Address; dst: Address | undefined; ingress: Ingress | undefined; from: string }[] = [
    { client: "outside", src: OUTSIDE[family], dst: external, ingress: uplink ? { kind: "interface", name: uplink } : undefined, from: `arriving on ${uplink}` },
    { client: "host", src: target!, dst: target, ingress: { kind: "local" }, from: "sent by the host" },
    { client: "containers", src: neighbour, dst: external, ingress: bridge ? { kind: "interface", name: bridge } : undefined, from: `arriving on ${bridge}` },
  ];
  return probes.map(({ client, src, dst, ingress, from }) => {
    if (!dst || !ingress || !host.interfaces.some((i) => ingress.kind === "local" || i.name === ingress.name)) {
      return { client, verdict: "unknown", packet: "", from, detail: "the host has no interface for this client" };
    }
    const packet = probePacket(port, src, dst);
    const trace = tracePacket({ ruleset, host, packet, ingress });
    const text = `${port.protocol} ${formatEndpoint(src, 40000)} -> ${formatEndpoint(dst, port.hostPort.min)}`;
    const toContainer = trace.egress && sameAddress(trace.egress.packet.dst, port.container.address);
    if (toContainer) return { client, verdict: "yes", packet: text, from, detail: `${trace.outcome} to ${formatEndpoint(port.container.address, port.container.port)}` };
    const listening = trace.delivered && (port.hostAddress === undefined || sameAddress(trace.delivered.packet.dst, port.hostAddress)) && sameAddress(trace.delivered.packet.dst, dst);
    if (listening) return { client, verdict: "proxy", packet: text, from, detail: "delivered to the host's own port: reachable through docker-proxy while the userland proxy is on" };
    if (trace.delivered)
      return { client, verdict: "no", packet: text, from, detail: `delivered to the host at ${formatEndpoint(trace.delivered.packet.dst, port.hostPort.min)}, where the port is not published` };
    if (trace.outcome === "undetermined") return { client, verdict: "unknown", packet: text, from, detail: trace.reason };
    return { client, verdict: "no", packet: text, from, detail: `${trace.outcome}: ${trace.reason}` };
  });
}

function probePacket(port: PublishedPort, src: Address, dst: Address): Packet {
  const protocol = PROTOCOL_NUMBERS[port.protocol as "tcp" | "udp" | "sctp"] ?? PROTOCOL_NUMBERS.tcp;
  const kind = port.protocol === "udp" || port.protocol === "sctp" ? port.protocol : "tcp";
  const ports = { sport: 40000, dport: port.hostPort.min };
  return {
    family: src.family,
    src,
    dst,
    protocol,
    transport: kind === "tcp" ? { kind, ...ports, flags: 0x02 } : { kind, ...ports },
    ttl: 64,
    tos: 0,
    length: src.family === "ipv4" ? 40 : 60,
    fragmentOffset: 0,
    moreFragments: false,
  };
}

/** The bridge the host routes the container's address through. */
function bridgeOf(host: Host, packet: Packet): string | undefined {
  const route = routeOutput(host, packet);
  return route.kind === "forward" ? route.device : undefined;
}

/** Another container's address on the same network: the published one plus one. */
function nextAddress(address: Address): Address {
  return address.family === "ipv4" ? { family: "ipv4", value: (address.value + 1) >>> 0 } : { family: "ipv6", value: address.value + 1n };
}
