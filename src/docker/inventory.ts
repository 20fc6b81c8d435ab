/**
 * Docker's containers and networks by address and bridge, from `docker inspect` and
 * `docker network inspect` output: which container holds an address, which network a
 * Linux bridge or a subnet belongs to. Either output alone is enough to name containers
 * (a network lists its containers); `docker inspect` adds their published ports.
 */
import { inCidr } from "../ext/header.js";
import { sameAddress } from "../host/prefix.js";
import type { Address } from "../packet/packet.js";
import type { InspectedContainer, InspectedNetwork } from "./inspect.js";

/** The container holding an address, and the network it holds that address on. */
export interface ContainerAt {
  readonly container: InspectedContainer;
  /** The network's name; its bridge only when `docker network inspect` output tells it. */
  readonly network: string;
  readonly bridge: string | undefined;
}

/** Docker's containers and networks, to name what the rules know by address and bridge. */
export interface DockerInventory {
  readonly containers: readonly InspectedContainer[];
  readonly networks: readonly InspectedNetwork[];
  containerAt(address: Address): ContainerAt | undefined;
  /** The network whose Linux bridge this is. */
  networkOfBridge(bridge: string): InspectedNetwork | undefined;
  /** The bridge network whose subnet holds the address. */
  networkOfAddress(address: Address): InspectedNetwork | undefined;
}

/** The inventory of the containers and networks read from Docker's inspect output. */
export function dockerInventory(inspected: readonly InspectedContainer[], networks: readonly InspectedNetwork[]): DockerInventory {
  // A container `docker inspect` describes wins over the same container as a network lists it.
  const known = new Set(inspected.map((c) => c.id));
  const listed = networks.flatMap((n) => n.containers).filter((c) => !known.has(c.id) && !known.has(c.name));
  const containers = [...inspected, ...mergeById(listed)];
  const networkNamed = (name: string) => networks.find((n) => n.name === name);
  return {
    containers,
    networks,
    containerAt(address) {
      for (const container of containers) {
        const at = container.addresses.find((a) => sameAddress(a.address, address));
        if (at) return { container, network: at.network, bridge: networkNamed(at.network)?.bridge };
      }
      return undefined;
    },
    networkOfBridge: (bridge) => networks.find((n) => n.bridge === bridge),
    networkOfAddress: (address) => networks.find((n) => n.bridge !== undefined && n.subnets.some((s) => inCidr(address, s))),
  };
}

/** One container attached to several networks appears once per network: one entry with all its addresses. */
function mergeById(listed: readonly InspectedContainer[]): InspectedContainer[] {
  const byId = new Map<string, InspectedContainer>();
  for (const c of listed) {
    const seen = byId.get(c.id);
    byId.set(c.id, seen ? { ...seen, addresses: [...seen.addresses, ...c.addresses] } : c);
  }
  return [...byId.values()];
}
