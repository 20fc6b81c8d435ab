/**
 * `-m addrtype`: what the host says an address is (net/netfilter/xt_addrtype.c).
 */
import type { AddressType } from "../ext/semantics.js";
import type { Address } from "../packet/packet.js";
import { compileHost } from "./fib.js";
import { isLimitedBroadcast, isMulticastV4, isMulticastV6, isZeronet } from "./prefix.js";
import type { Host } from "./types.js";

const ROUTE_ADDRESS_TYPES = { unicast: "UNICAST", local: "LOCAL", broadcast: "BROADCAST", multicast: "MULTICAST", anycast: "ANYCAST" } as const;

/**
 * IPv4 (inet_dev_addr_type): 0.0.0.0 and 255.255.255.255 are BROADCAST, 224/4 MULTICAST;
 * otherwise the type of the local-table route (which, with default rules, shares one trie
 * with the main table), UNICAST when the lookup fails or is an error route. With `device`
 * (--limit-iface-in/out) a route through another device counts as UNICAST.
 *
 * IPv6 (match_lookup_rt6) answers per address in two parts, which the match combines with
 * its own mask logic (match_type6): the address class (MULTICAST, UNSPEC, UNICAST: read it
 * from the address) and the route lookup, returned here as UNREACHABLE (no route or a
 * reject route), LOCAL (a local route; with `device`: an address of that device), ANYCAST,
 * or else the class.
 */
export function addressType(host: Host, address: Address, device?: string): AddressType {
  const c = compileHost(host);
  if (address.family === "ipv4") {
    if (isZeronet(address.value) || isLimitedBroadcast(address.value)) return "BROADCAST";
    if (isMulticastV4(address.value)) return "MULTICAST";
    const route = c.lookup(address);
    if (route === undefined || !(route.type in ROUTE_ADDRESS_TYPES)) return "UNICAST";
    if (device !== undefined && route.device !== device) return "UNICAST";
    return ROUTE_ADDRESS_TYPES[route.type as keyof typeof ROUTE_ADDRESS_TYPES];
  }
  // Every up device has ff00::/8 multicast routes: a multicast lookup neither fails nor is local.
  if (isMulticastV6(address.value)) return "MULTICAST";
  const route = c.lookup(address);
  if (route === undefined || route.type === "throw" || route.type === "blackhole" || route.type === "unreachable" || route.type === "prohibit") {
    return "UNREACHABLE";
  }
  if (device !== undefined) {
    const own = c.interfaces.get(device)?.addresses.some((a) => a.address.family === "ipv6" && a.address.value === address.value && !a.tentative);
    if (own) return "LOCAL";
  } else if (route.type === "local") return "LOCAL";
  if (route.type === "anycast") return "ANYCAST";
  return address.value === 0n ? "UNSPEC" : "UNICAST";
}
