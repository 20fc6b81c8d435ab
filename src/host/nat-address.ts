/**
 * The addresses NAT targets pick by themselves: MASQUERADE's source (inet_select_addr in
 * net/ipv4/devinet.c, ipv6_dev_get_saddr for IPv6) and REDIRECT's destination
 * (net/netfilter/nf_nat_redirect.c).
 */
import type { Family } from "../model/types.js";
import type { Address } from "../packet/packet.js";
import { l3Device } from "./devices.js";
import { compileHost } from "./fib.js";
import { inPrefix, isLinkLocalV6, isV4MappedV6 } from "./prefix.js";
import type { Host, Interface, InterfaceAddress } from "./types.js";

function addressesOf(iface: Interface | undefined, family: Family): InterfaceAddress[] {
  return iface?.addresses.filter((a) => a.address.family === family && !a.secondary && !a.tentative) ?? [];
}

/** The first primary (IPv4: not secondary; IPv6: not tentative) address of `device`, in `ip addr` order. */
export function primaryAddress(host: Host, device: string, family: Family): Address | undefined {
  return addressesOf(compileHost(host).interfaces.get(device), family)[0]?.address;
}

/**
 * MASQUERADE's new source for a packet leaving `device`.
 * IPv4: inet_select_addr(device, nextHop, RT_SCOPE_UNIVERSE) — among the device's primary
 * global-scope addresses the first whose subnet holds `nextHop` (the route's gateway, or the
 * destination when it is on-link: rt_nexthop), else the first of them; a device without one
 * borrows the first primary global address of any interface, in `ip addr` order.
 * IPv6: source address selection (RFC 6724) reduced to what decides on ordinary hosts: an
 * address of the destination's scope (`nextHop` is the destination here), longest common
 * prefix first, from the device, else from any interface.
 * Undefined: the kernel drops the packet ("ate my IP address").
 */
export function masqueradeAddress(host: Host, device: string, nextHop: Address): Address | undefined {
  const c = compileHost(host);
  if (nextHop.family === "ipv4") {
    const usable = (iface: Interface | undefined) => addressesOf(iface, "ipv4").filter((a) => a.scope === "global");
    const own = usable(c.interfaces.get(device));
    const chosen = own.find((a) => inPrefix(nextHop, a.address, a.prefixLength)) ?? own[0];
    return (chosen ?? host.interfaces.flatMap(usable)[0])?.address;
  }
  const wantLinkLocal = isLinkLocalV6(nextHop.value);
  const candidates = (iface: Interface | undefined) => addressesOf(iface, "ipv6").filter((a) => (a.scope === "link") === wantLinkLocal && a.scope !== "host");
  const pool = candidates(c.interfaces.get(device));
  const from = pool.length > 0 || wantLinkLocal ? pool : host.interfaces.flatMap(candidates);
  let best: InterfaceAddress | undefined;
  let bestLength = -1;
  for (const a of from) {
    const length = commonPrefixLength(a.address.value as bigint, nextHop.value);
    if (length > bestLength) [best, bestLength] = [a, length];
  }
  return best?.address;
}

function commonPrefixLength(a: bigint, b: bigint): number {
  const diff = a ^ b;
  return diff === 0n ? 128 : 128 - diff.toString(2).length;
}

/**
 * REDIRECT's new destination. Locally generated (`inDevice` undefined): 127.0.0.1 / ::1.
 * Received: IPv4 the first address of the input device (a bridge port stands for its
 * bridge); IPv6 its first non-tentative, non-mapped address of the destination's scope
 * (any scope for a global destination). Undefined: the kernel drops the packet.
 */
export function redirectAddress(host: Host, inDevice: string | undefined, destination: Address): Address | undefined {
  if (inDevice === undefined) return destination.family === "ipv4" ? { family: "ipv4", value: 0x7f000001 } : { family: "ipv6", value: 1n };
  const iface = compileHost(host).interfaces.get(l3Device(host, inDevice));
  const all = iface?.addresses.filter((a) => a.address.family === destination.family) ?? [];
  if (destination.family === "ipv4") return all[0]?.address;
  const linkLocal = isLinkLocalV6(destination.value);
  return all.find((a) => !a.tentative && !isV4MappedV6(a.address.value as bigint) && (!linkLocal || a.scope === "link"))?.address;
}
