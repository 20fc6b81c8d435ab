/**
 * Containers and networks by Docker's names, as outputs show them: plain data for JSON,
 * and words for people ("container web (172.17.0.2:80) on network bridge (docker0)").
 */
import { formatAddress, withPort } from "../packet/format.js";
import type { Address } from "../packet/packet.js";
import type { DockerInventory } from "./inventory.js";

export interface ContainerName {
  /** Docker's name for it, without the leading slash. */
  readonly name: string;
  readonly id: string;
  readonly address: string;
  /** The port, where the output is about one (the container's side of a published port, the port a packet reaches). */
  readonly port?: number;
  readonly network: string;
  /** The network's Linux bridge, when `docker network inspect` output tells it. */
  readonly bridge?: string;
}

export interface NetworkName {
  readonly name: string;
  readonly id: string;
  readonly bridge: string;
}

export function nameContainer(inventory: DockerInventory, address: Address, port?: number): ContainerName | undefined {
  const at = inventory.containerAt(address);
  if (at === undefined) return undefined;
  return { name: at.container.name, id: at.container.id, address: formatAddress(address), ...(port !== undefined && { port }), network: at.network, ...(at.bridge && { bridge: at.bridge }) };
}

export function nameNetwork(inventory: DockerInventory, bridge: string): NetworkName | undefined {
  const network = inventory.networkOfBridge(bridge);
  return network === undefined ? undefined : { name: network.name, id: network.id, bridge };
}

/** `network bridge (docker0)`, or `network net1` when its bridge is not known. */
export function networkWords(name: string, bridge: string | undefined): string {
  return `network ${name}${bridge ? ` (${bridge})` : ""}`;
}

/** `container web (172.17.0.2:80) on network bridge (docker0)`. */
export function containerWords(c: ContainerName): string {
  return `container ${c.name} (${withPort(c.address, c.port)}) on ${networkWords(c.network, c.bridge)}`;
}
