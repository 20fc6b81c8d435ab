/** Interfaces in their roles: bridge ports, and the device IP sees a packet on. */
import { compileHost } from "./fib.js";
import type { Host } from "./types.js";

/**
 * The bridge `device` is a port of (its `master`), or undefined. A frame arriving on a port
 * reaches IP (and routing) as arriving on the bridge: `--in veth-ctr` is docker0 through
 * port veth-ctr.
 */
export function bridgeOf(host: Host, device: string): string | undefined {
  return compileHost(host).interfaces.get(device)?.master;
}

/** The device IP sees a packet arriving on `device` as coming from. */
export function l3Device(host: Host, device: string): string {
  return bridgeOf(host, device) ?? device;
}
