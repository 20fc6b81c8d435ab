/**
 * The Docker containers and networks a traced packet meets, by name: the container it
 * comes from and the one it is addressed to, the one DNAT sends it to instead, and the
 * networks of the bridges it arrives on and leaves by.
 */
import { l3Device, type Host } from "../host/index.js";
import { sameAddress } from "../packet/format.js";
import { hasPorts } from "../packet/packet.js";
import type { Trace } from "../engine/types.js";
import type { DockerInventory } from "./inventory.js";
import { containerWords, nameContainer, nameNetwork, networkWords, type ContainerName, type NetworkName } from "./names.js";

export interface PacketNames {
  readonly source?: ContainerName;
  readonly destination?: ContainerName;
  /** The container DNAT rewrote the destination to, with its port, whether or not the packet gets there. */
  readonly translated?: ContainerName;
  readonly in?: NetworkName;
  readonly out?: NetworkName;
}

export function packetNames(inventory: DockerInventory, trace: Trace, host: Host): PacketNames {
  const packet = trace.packet;
  const last = trace.egress?.packet ?? trace.delivered?.packet ?? trace.branches.find((b) => b.outcome === trace.outcome)?.endPoint?.packet;
  const rewritten = last && !sameAddress(last.dst, packet.dst) ? last : undefined;
  const source = nameContainer(inventory, packet.src);
  const destination = nameContainer(inventory, packet.dst);
  const translated = rewritten && nameContainer(inventory, rewritten.dst, hasPorts(rewritten.transport) ? rewritten.transport.dport : undefined);
  const arrival = "interface" in trace.ingress ? nameNetwork(inventory, l3Device(host, trace.ingress.interface)) : undefined;
  const departure = trace.egress && nameNetwork(inventory, trace.egress.interface);
  return { ...(source && { source }), ...(destination && { destination }), ...(translated && { translated }), ...(arrival && { in: arrival }), ...(departure && { out: departure }) };
}

export interface NamesLine {
  readonly label: "from" | "to";
  readonly words: string;
  /** The container DNAT sent the packet to, rather than the one it was addressed to. */
  readonly afterNat: boolean;
}

/** The names in words: from (the sending container, or the network it arrives from), to (the container addressed, or reached after DNAT). */
export function packetNamesLines(names: PacketNames): NamesLine[] {
  const from = names.source ? containerWords(names.source) : names.in && networkWords(names.in.name, names.in.bridge);
  return [
    ...(from ? [{ label: "from" as const, words: from, afterNat: false }] : []),
    ...(names.destination ? [{ label: "to" as const, words: containerWords(names.destination), afterNat: false }] : []),
    ...(names.translated ? [{ label: "to" as const, words: `${containerWords(names.translated)}, after DNAT`, afterNat: true }] : []),
  ];
}

/** The "docker:" lines of a text trace. */
export function dockerText(names: PacketNames): string {
  return packetNamesLines(names)
    .map(({ label, words }) => `docker: ${label} ${words}\n`)
    .join("");
}
