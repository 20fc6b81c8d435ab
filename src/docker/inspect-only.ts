/**
 * Ports `docker inspect` says a container publishes that no DNAT rule of the dump
 * publishes: Docker runs with --iptables=false (docker-proxy alone serves them), or the
 * rules and the inspect output were taken at different times.
 */
import type { Family } from "../model/types.js";
import { sameAddress } from "../packet/format.js";
import type { Address } from "../packet/packet.js";
import type { InspectedContainer, PortBinding } from "./inspect.js";
import type { DockerInventory } from "./inventory.js";
import { nameContainer, type ContainerName } from "./names.js";
import type { PublishedPort } from "./published.js";

export interface InspectOnlyPort {
  readonly protocol: string;
  /** The host address it is bound to; undefined: every address (HostIp "", 0.0.0.0 or ::). */
  readonly hostAddress: Address | undefined;
  readonly hostPort: number;
  /** At its address of the dump's family, with the container's port. */
  readonly container: ContainerName;
}

export function inspectOnlyPorts(inventory: DockerInventory, published: readonly PublishedPort[], family: Family): InspectOnlyPort[] {
  return inventory.containers.flatMap((container) => {
    const address = container.addresses.find((a) => a.address.family === family)?.address;
    const ofFamily = container.published.filter((b) => b.hostIp === undefined || b.hostIp.family === family);
    return ofFamily.flatMap((binding) => {
      const named = address && nameContainer(inventory, address, binding.containerPort);
      if (named === undefined || published.some((p) => publishes(p, binding, container))) return [];
      return [{ protocol: binding.protocol, hostAddress: specified(binding.hostIp), hostPort: binding.hostPort, container: named }];
    });
  });
}

function publishes(port: PublishedPort, binding: PortBinding, container: InspectedContainer): boolean {
  return (
    port.protocol === binding.protocol &&
    port.container.port === binding.containerPort &&
    binding.hostPort >= port.hostPort.min &&
    binding.hostPort <= port.hostPort.max &&
    container.addresses.some((a) => sameAddress(a.address, port.container.address))
  );
}

/** 0.0.0.0 and :: stand for every address, as no HostIp does. */
const specified = (address: Address | undefined): Address | undefined => (address === undefined || address.value === 0 || address.value === 0n ? undefined : address);
