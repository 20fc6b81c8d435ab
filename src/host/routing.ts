/**
 * The kernel's routing decisions for one packet:
 * - receiveCheck: what ipv6_rcv drops before PREROUTING (IPv4's ip_rcv drops nothing by address);
 * - routeInput: ip_route_input_slow / ip_route_input_mc (net/ipv4/route.c) and the checks
 *   ip_forward makes before the FORWARD hook; ip6_route_input and ip6_forward for IPv6;
 * - routeOutput: ip_route_output_key_hash_rcu / ip6_route_output for a locally generated
 *   packet, looked up by destination as for a socket not bound to an address.
 */
import type { Packet } from "../packet/packet.js";
import { l3Device } from "./devices.js";
import { compileHost, type CompiledHost } from "./fib.js";
import { formatAddress, isLimitedBroadcast, isLinkLocalV6, isLocalMulticastV4, isLoopbackV4, isMulticastV4, isMulticastV6, isV4MappedV6, isZeronet, multicastScopeV6, V6_LOOPBACK } from "./prefix.js";
import type { DropReason, Host, IcmpError, Route, RouteDecision, RouteErrno } from "./types.js";

type Drop = Extract<RouteDecision, { kind: "drop" }>;

const ICMP = {
  netUnreachable: { type: 3, code: 0, name: "network-unreachable" },
  hostUnreachable: { type: 3, code: 1, name: "host-unreachable" },
  adminProhibited: { type: 3, code: 13, name: "communication-prohibited" },
  ttlExceeded: { type: 11, code: 0, name: "ttl-zero-during-transit" },
} as const satisfies Record<string, IcmpError>;

const ICMPV6 = {
  noRoute: { type: 1, code: 0, name: "no-route" },
  adminProhibited: { type: 1, code: 1, name: "communication-prohibited" },
  beyondScope: { type: 1, code: 2, name: "beyond-scope" },
  hopLimitExceeded: { type: 3, code: 0, name: "ttl-zero-during-transit" },
} as const satisfies Record<string, IcmpError>;

/** ip_error: the ICMP answer to each routing error (a blackhole's EINVAL gets none). */
const ICMP_FOR_ERRNO: Readonly<Partial<Record<RouteErrno, IcmpError>>> = {
  ENETUNREACH: ICMP.netUnreachable,
  EHOSTUNREACH: ICMP.hostUnreachable,
  EACCES: ICMP.adminProhibited,
};

const IPPROTO_IGMP = 2;

function drop(reason: DropReason, errno: RouteErrno | undefined, icmp: IcmpError | undefined, detail: string): Drop {
  return { kind: "drop", reason, errno, icmp, detail };
}

/** What a routing lookup found: a usable route, or the error an error route (or no route) gives. */
type Lookup = { readonly route: Route } | { readonly reason: DropReason; readonly errno: RouteErrno; readonly detail: string };

/** fib_lookup / fib6_lookup: error route types fail the lookup with their fib_props / ip6_rt_type_to_error errno. */
function lookup(c: CompiledHost, address: Packet["dst"]): Lookup {
  const route = c.lookup(address);
  if (route === undefined || route.type === "throw") return { reason: "no-route", errno: "ENETUNREACH", detail: `no route to ${formatAddress(address)}` };
  switch (route.type) {
    case "blackhole":
      return { reason: "blackhole", errno: "EINVAL", detail: `${formatAddress(address)} matches a blackhole route` };
    case "unreachable":
      return { reason: "unreachable", errno: "EHOSTUNREACH", detail: `${formatAddress(address)} matches an unreachable route` };
    case "prohibit":
      return { reason: "prohibit", errno: "EACCES", detail: `${formatAddress(address)} matches a prohibit route` };
    default:
      // The usual answer, which needs no words: the address is printed only for an error.
      return { route };
  }
}

function describe(route: Route): string {
  const dst = route.prefixLength === 0 ? "default" : `${formatAddress(route.destination)}/${route.prefixLength}`;
  const via = route.gateway === undefined ? "" : ` via ${formatAddress(route.gateway)}`;
  return `route ${dst}${via} dev ${route.device ?? "?"}`;
}

/** Drops made by ipv6_rcv before the packet reaches PREROUTING; undefined when it passes. */
export function receiveCheck(host: Host, packet: Packet, inDevice: string): Drop | undefined {
  if (packet.src.family !== "ipv6" || packet.dst.family !== "ipv6") return undefined;
  const loopback = compileHost(host).interfaces.get(l3Device(host, inDevice))?.kind === "loopback";
  const src = packet.src.value;
  const dst = packet.dst.value;
  if (isMulticastV6(src)) return drop("martian-source", undefined, undefined, "a multicast source address (ipv6_rcv, RFC 4291 2.7)");
  if (!loopback && (src === V6_LOOPBACK || dst === V6_LOOPBACK)) return drop("martian-source", undefined, undefined, "::1 on a non-loopback device (ipv6_rcv, RFC 4291 2.5.3)");
  if (isMulticastV6(dst) && multicastScopeV6(dst) === 0) return drop("martian-destination", undefined, undefined, "multicast scope 0 (ipv6_rcv)");
  if (!loopback && isMulticastV6(dst) && multicastScopeV6(dst) === 1) return drop("martian-destination", undefined, undefined, "interface-local multicast from another node (ipv6_rcv)");
  if (isV4MappedV6(src)) return drop("martian-source", undefined, undefined, "an IPv4-mapped source address (ipv6_rcv)");
  return undefined;
}

/**
 * Routing for a packet received on `inDevice` (a bridge port stands for its bridge). Call it
 * after PREROUTING, with the packet as PREROUTING left it.
 */
export function routeInput(host: Host, packet: Packet, inDevice: string): RouteDecision {
  const c = compileHost(host);
  const device = l3Device(host, inDevice);
  return packet.family === "ipv4" ? inputV4(c, packet, device) : inputV6(c, packet, device);
}

function inputV4(c: CompiledHost, packet: Packet, device: string): RouteDecision {
  const sysctls = c.host.sysctls;
  const src = packet.src.value as number;
  const dst = packet.dst.value as number;
  const localnet = sysctls.routeLocalnet(device);
  const forwarding = sysctls.forwarding.ipv4;
  const martianSource = (why: string): Drop => drop("martian-source", "EINVAL", undefined, `martian source ${formatAddress(packet.src)}: ${why}`);
  const martianDestination = (why: string): Drop => drop("martian-destination", "EINVAL", undefined, `martian destination ${formatAddress(packet.dst)}: ${why}`);

  if (isMulticastV4(dst)) return multicastInputV4(c, packet, device, localnet, martianSource);
  if (isMulticastV4(src) || isLimitedBroadcast(src)) return martianSource("multicast or broadcast source");
  if (isLimitedBroadcast(dst) || (src === 0 && dst === 0)) return broadcastInput(c, packet, device);
  if (isZeronet(src)) return martianSource("source 0.0.0.0");
  if (isZeronet(dst)) return martianDestination("destination 0.0.0.0");
  if (isLoopbackV4(dst)) {
    if (!localnet) return martianDestination(`127.0.0.0/8 arriving on ${device} (route_localnet is 0)`);
  } else if (isLoopbackV4(src) && !localnet) return martianSource(`127.0.0.0/8 arriving on ${device} (route_localnet is 0)`);

  const found = lookup(c, packet.dst);
  if (!("route" in found)) {
    // ip_route_input_slow turns every lookup failure into EHOSTUNREACH without forwarding; ip_error then stays silent.
    if (!forwarding) return drop("forwarding-disabled", "EHOSTUNREACH", undefined, `${found.detail}, and forwarding is off`);
    return drop(found.reason, found.errno, ICMP_FOR_ERRNO[found.errno], found.detail);
  }
  const route = found.route;
  if (route.type === "broadcast") return broadcastInput(c, packet, device);
  if (route.type === "local") {
    const invalid = validateSource(c, packet, device, undefined);
    if (invalid !== undefined) return invalid;
    return { kind: "local", device, type: "local", detail: `${formatAddress(packet.dst)} is local (${describe(route)})` };
  }
  if (!forwarding) return drop("forwarding-disabled", "EHOSTUNREACH", undefined, `${formatAddress(packet.dst)} is not local and forwarding is off`);
  if (route.type !== "unicast") return martianDestination(`matches a ${route.type} route`);
  const invalid = validateSource(c, packet, device, route.device);
  if (invalid !== undefined) return invalid;
  // ip_forward, before the FORWARD hook.
  if (packet.ttl <= 1) return drop("ttl-exceeded", undefined, ICMP.ttlExceeded, `TTL ${packet.ttl} would expire in transit (ip_forward)`);
  return forward(route, "unicast");
}

function forward(route: Route, type: "unicast" | "broadcast" | "multicast"): RouteDecision {
  // A broadcast or multicast goes to the link-layer group, not to the route's gateway (__mkroute_output drops the nexthop).
  const gateway = type === "unicast" ? route.gateway : undefined;
  return { kind: "forward", device: route.device ?? "", gateway, route, type, detail: describe(route) };
}

/** ip_route_input_slow's brd_input: a broadcast for this host, once the source checks out. */
function broadcastInput(c: CompiledHost, packet: Packet, device: string): RouteDecision {
  if (!isZeronet(packet.src.value as number)) {
    const invalid = validateSource(c, packet, device, undefined);
    if (invalid !== undefined) return invalid;
  }
  return { kind: "local", device, type: "broadcast", detail: `${formatAddress(packet.dst)} is a broadcast address` };
}

/**
 * ip_route_input_rcu's multicast branch and ip_mc_validate_source. Only the all-hosts group
 * 224.0.0.1, which every IPv4 device joins, is taken as joined: nfwalk knows no sockets.
 */
function multicastInputV4(c: CompiledHost, packet: Packet, device: string, localnet: boolean, martianSource: (why: string) => Drop): RouteDecision {
  const src = packet.src.value as number;
  const dst = packet.dst.value as number;
  if (dst !== 0xe0000001) return drop("multicast-not-joined", "EINVAL", undefined, `no socket is assumed to have joined ${formatAddress(packet.dst)} on ${device}`);
  if (isMulticastV4(src) || isLimitedBroadcast(src)) return martianSource("multicast or broadcast source");
  if (isLoopbackV4(src) && !localnet) return martianSource(`127.0.0.0/8 arriving on ${device} (route_localnet is 0)`);
  if (isZeronet(src)) {
    if (!isLocalMulticastV4(dst) && packet.protocol !== IPPROTO_IGMP) return martianSource("source 0.0.0.0 to a non-local group");
  } else {
    const invalid = validateSource(c, packet, device, undefined);
    if (invalid !== undefined) return invalid;
  }
  return { kind: "local", device, type: "multicast", detail: `${formatAddress(packet.dst)} is the all-hosts group` };
}

/**
 * fib_validate_source (net/ipv4/fib_frontend.c), accept_local 0 and send_redirects 1 assumed.
 * With rp_filter off, and unless the packet would leave by the device it came in on, only a
 * source that is one of the host's own addresses fails. Otherwise the route back to the
 * source decides: it must be unicast; strict mode wants it through the input device, loose
 * mode any route. `outDevice`: where a forwarded packet leaves; undefined for local delivery.
 */
function validateSource(c: CompiledHost, packet: Packet, device: string, outDevice: string | undefined): Drop | undefined {
  const rpFilter = c.host.sysctls.rpFilter(device);
  const martian = (why: string): Drop => drop("martian-source", "EINVAL", undefined, `martian source ${formatAddress(packet.src)}: ${why}`);
  // __fib_validate_source says EXDEV; ip_route_input_slow and __mkroute_input answer EINVAL for any failure.
  const rpf = (why: string): Drop => drop("rp-filter", "EINVAL", undefined, `reverse path filter (rp_filter=${rpFilter} on ${device}): ${why}`);
  if (rpFilter === 0 && outDevice !== device && !c.customLocalRoutes) {
    return c.ownAddresses.ipv4.has(packet.src.value) ? martian("it is one of this host's addresses") : undefined;
  }
  const source = formatAddress(packet.src);
  const found = lookup(c, packet.src);
  if (!("route" in found)) return rpFilter === 0 ? undefined : rpf(`no route back to ${source}`);
  const back = found.route;
  if (back.type !== "unicast") return martian(`the route back to it is ${back.type}`);
  if (back.device === device) return undefined;
  const hasAddress = c.interfaces.get(device)?.addresses.some((a) => a.address.family === "ipv4") ?? false;
  if (!hasAddress) return rpFilter === 0 ? undefined : rpf(`${device} has no IPv4 address`);
  if (rpFilter === 1) return rpf(`the route back to ${source} leaves by ${back.device ?? "?"}, not ${device}`);
  return undefined;
}

function inputV6(c: CompiledHost, packet: Packet, device: string): RouteDecision {
  const dst = packet.dst.value as bigint;
  const src = packet.src.value as bigint;
  const iface = c.interfaces.get(device);
  if (isMulticastV6(dst)) {
    return joinedV6(c, device, dst)
      ? { kind: "local", device, type: "multicast", detail: `${formatAddress(packet.dst)} is a group every node joins` }
      : drop("multicast-not-joined", undefined, undefined, `no socket is assumed to have joined ${formatAddress(packet.dst)} on ${device}`);
  }
  if (isLinkLocalV6(dst)) {
    // Link-local destinations are looked up strictly on the input device (rt6_need_strict).
    const ours = iface?.addresses.some((a) => a.address.family === "ipv6" && a.address.value === dst && !a.tentative) ?? false;
    return ours
      ? { kind: "local", device, type: "local", detail: `${formatAddress(packet.dst)} is a link-local address of ${device}` }
      : drop("martian-destination", undefined, undefined, `${formatAddress(packet.dst)} is link-local and not an address of ${device}`);
  }
  const found = lookup(c, packet.dst);
  if (!("route" in found)) {
    // ip6_pkt_discard / ip6_pkt_prohibit answer whatever the forwarding setting; a blackhole is silent.
    const icmp = found.reason === "prohibit" ? ICMPV6.adminProhibited : found.reason === "blackhole" ? undefined : ICMPV6.noRoute;
    return drop(found.reason, found.errno, icmp, found.detail);
  }
  const route = found.route;
  if (route.type === "local" || route.type === "anycast") {
    return { kind: "local", device, type: "local", detail: `${formatAddress(packet.dst)} is ${route.type === "anycast" ? "a subnet-router anycast address" : "local"}` };
  }
  if (!c.host.sysctls.forwarding.ipv6) return drop("forwarding-disabled", undefined, undefined, `${formatAddress(packet.dst)} is not local and forwarding is off (ip6_forward)`);
  if (route.type !== "unicast") return drop("martian-destination", undefined, undefined, `${formatAddress(packet.dst)} matches a ${route.type} route`);
  // ip6_forward, before the FORWARD hook.
  if (packet.ttl <= 1) return drop("ttl-exceeded", undefined, ICMPV6.hopLimitExceeded, `hop limit ${packet.ttl} would expire in transit (ip6_forward)`);
  if (route.device !== device) {
    if (src === 0n || isMulticastV6(src) || src === V6_LOOPBACK) return drop("martian-source", undefined, undefined, `${formatAddress(packet.src)} may not be forwarded (ip6_forward)`);
    if (isLinkLocalV6(src)) return drop("martian-source", undefined, ICMPV6.beyondScope, `link-local source ${formatAddress(packet.src)} may not leave its link (ip6_forward)`);
  }
  return forward(route, "unicast");
}

/**
 * Groups a device is in without any socket: all-nodes (ff01::1, ff02::1), all-routers when
 * forwarding (ff01::2, ff02::2, ff05::2), and the solicited-node group of each address.
 */
function joinedV6(c: CompiledHost, device: string, group: bigint): boolean {
  const iface = c.interfaces.get(device);
  if (iface === undefined || !iface.up) return false;
  const ALL_NODES = [(0xff01n << 112n) | 1n, (0xff02n << 112n) | 1n];
  const ALL_ROUTERS = [(0xff01n << 112n) | 2n, (0xff02n << 112n) | 2n, (0xff05n << 112n) | 2n];
  if (ALL_NODES.includes(group)) return true;
  if (c.host.sysctls.forwarding.ipv6 && ALL_ROUTERS.includes(group)) return true;
  const SOLICITED = (0xff02n << 112n) | (1n << 32n) | (0xffn << 24n);
  return iface.addresses.some((a) => a.address.family === "ipv6" && (SOLICITED | ((a.address.value as bigint) & 0xffffffn)) === group);
}

/**
 * Routing for a packet a local process sends: by destination, as for a raw or unbound
 * socket (the source the packet carries is not checked, as with IP_HDRINCL). Local
 * destinations go through `lo`.
 */
export function routeOutput(host: Host, packet: Packet): RouteDecision {
  const c = compileHost(host);
  const dst = packet.dst;
  if (dst.family === "ipv4" && dst.value === 0) return { kind: "local", device: "lo", type: "local", detail: "0.0.0.0 stands for this host" };
  // rawv6_sendmsg / udpv6_sendmsg route :: as ::1 (a BSD'ism the kernel keeps).
  if (dst.family === "ipv6" && dst.value === 0n) return { kind: "local", device: "lo", type: "local", detail: ":: stands for this host (sent as to ::1)" };
  const found = lookup(c, dst);
  if (!("route" in found)) return drop(found.reason, found.errno, undefined, `${found.detail}; the sender gets ${found.errno}`);
  const route = found.route;
  if (route.type === "local" || route.type === "anycast") return { kind: "local", device: "lo", type: "local", detail: `${formatAddress(dst)} is local` };
  if (dst.family === "ipv4") {
    // __mkroute_output
    if (isLimitedBroadcast(dst.value) || route.type === "broadcast") return sendBroadcast(c, route, dst);
    if (isMulticastV4(dst.value)) return forward(route, "multicast");
    if (isZeronet(dst.value)) return drop("martian-destination", "EINVAL", undefined, `${formatAddress(dst)} is 0.0.0.0`);
  } else if (isMulticastV6(dst.value)) return forward(route, "multicast");
  if (route.type !== "unicast") return drop("martian-destination", "EINVAL", undefined, `${formatAddress(dst)} matches a ${route.type} route`);
  return forward(route, "unicast");
}

/**
 * A broadcast this host sends. Through a loopback device (127.255.255.255) it takes the
 * plain ip_output path and comes back in through lo like any local packet. Elsewhere
 * ip_mc_output sends it out and also loops a copy back to this host's sockets; nfwalk
 * follows the copy that leaves and says so.
 */
function sendBroadcast(c: CompiledHost, route: Route, dst: Packet["dst"]): RouteDecision {
  const device = route.device ?? "";
  if (c.interfaces.get(device)?.kind === "loopback") {
    return { kind: "local", device, type: "broadcast", detail: `${formatAddress(dst)} is a broadcast address of ${device}, which loops it back to this host` };
  }
  const sent = forward(route, "broadcast");
  return { ...sent, detail: `${sent.detail}; a copy also loops back to this host's own sockets (not followed here)` };
}

/**
 * Routing again after OUTPUT changed the destination or the mark
 * (ip_route_me_harder): unlike the first lookup, this one keeps the
 * packet's own local source, and __mkroute_output lets a 127.0.0.0/8
 * source leave only through a loopback device (or with route_localnet).
 */
export function rerouteOutput(host: Host, packet: Packet): RouteDecision {
  const decision = routeOutput(host, packet);
  if (decision.kind !== "forward") return decision;
  const c = compileHost(host);
  const src = packet.src;
  const out = decision.device;
  if (src.family === "ipv4" && isLoopbackV4(src.value) && c.interfaces.get(out)?.kind !== "loopback" && !c.host.sysctls.routeLocalnet(out)) {
    return drop("martian-source", "EINVAL", undefined, `source ${formatAddress(src)} cannot leave through ${out} (route_localnet is 0)`);
  }
  return decision;
}
