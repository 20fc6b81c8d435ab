/**
 * The host a packet meets: its interfaces and addresses (`ip -json addr`),
 * its main routing table (`ip -json route`) and the sysctls that change
 * routing and filtering. Built from the user's files or, without them, a
 * documented default host.
 */
import type { Family } from "../model/types.js";
import type { Address } from "../packet/packet.js";

/** An address configured on an interface. */
export interface InterfaceAddress {
  readonly address: Address;
  readonly prefixLength: number;
  readonly scope: "host" | "link" | "global" | "site";
  /** IPv4 broadcast address, when one was assigned (`brd`). */
  readonly broadcast: Address | undefined;
  /** IPv4: another address of the same subnet came first (IFA_F_SECONDARY); secondaries are never picked as a source. */
  readonly secondary: boolean;
  /** IPv6: duplicate address detection has not finished; the address does not receive yet. */
  readonly tentative: boolean;
}

/** A network interface as `ip addr` lists it. */
export interface Interface {
  readonly name: string;
  readonly index: number;
  readonly kind: "loopback" | "ether" | "other";
  readonly up: boolean;
  /** The bridge (or bond) this interface is a port of. */
  readonly master: string | undefined;
  /** Addresses in the order `ip addr` lists them (the kernel's ifa_list order: primaries before secondaries). */
  readonly addresses: readonly InterfaceAddress[];
}

/** The kinds of route `ip route` knows. */
export type RouteType = "unicast" | "local" | "broadcast" | "multicast" | "anycast" | "blackhole" | "unreachable" | "prohibit" | "throw";

/** A route of the main table as `ip route` lists it. */
export interface Route {
  readonly family: Family;
  readonly destination: Address;
  readonly prefixLength: number;
  readonly type: RouteType;
  readonly device: string | undefined;
  readonly gateway: Address | undefined;
  readonly metric: number;
  readonly preferredSource: Address | undefined;
  readonly scope: "host" | "link" | "global";
}

/** The sysctls that change where packets go. */
export interface Sysctls {
  /** net.ipv4.ip_forward (net.ipv6.conf.all.forwarding for IPv6). */
  readonly forwarding: Readonly<Record<Family, boolean>>;
  /** net.ipv4.conf.{all,IFACE}.route_localnet: the kernel takes all OR the interface's. */
  readonly routeLocalnet: (device: string) => boolean;
  /** net.ipv4.conf.{all,IFACE}.rp_filter: the kernel takes the larger of all and the interface's. */
  readonly rpFilter: (device: string) => 0 | 1 | 2;
  /** net.bridge.bridge-nf-call-iptables (and -ip6tables). */
  readonly bridgeNfCall: Readonly<Record<Family, boolean>>;
}

/** What nfwalk knows of the host besides its rules: interfaces with addresses, routes, sysctls. */
export interface Host {
  readonly interfaces: readonly Interface[];
  /** The main routing table as given (or assumed). */
  readonly routes: readonly Route[];
  readonly sysctls: Sysctls;
  /** How the host came to be, for the trace: from files, or the default host and what it assumed. */
  readonly origin: { readonly kind: "files" } | { readonly kind: "default"; readonly assumptions: readonly string[] };
}

export type DropReason =
  | "no-route"
  | "blackhole"
  | "unreachable"
  | "prohibit"
  | "forwarding-disabled"
  | "martian-source"
  | "martian-destination"
  | "rp-filter"
  /** A multicast group no socket on the host is assumed to have joined. */
  | "multicast-not-joined"
  /** TTL / hop limit would reach 0 (ip_forward, ip6_forward); checked before the FORWARD hook. */
  | "ttl-exceeded";

/** The error code the kernel's routing returns (what `ip route get` prints; a local sender's errno). */
export type RouteErrno = "ENETUNREACH" | "EHOSTUNREACH" | "EINVAL" | "EACCES";

/** An ICMP / ICMPv6 error the kernel sends back to the source. */
export interface IcmpError {
  readonly type: number;
  readonly code: number;
  /** e.g. `host-unreachable`, as iptables names ICMP types for --reject-with. */
  readonly name: string;
}

/**
 * What routing decides for a packet (ip_route_input / ip_route_output_key, ip6_route_input /
 * ip6_route_output, plus the forwarding checks of ip_forward / ip6_forward).
 * - `local`: delivered to the host. `device` is the device INPUT sees as `-i` (the L3 input device,
 *   a bridge rather than its port) for received packets, `lo` for locally generated ones.
 *   `type` says how: a local address, a broadcast, or a joined multicast group.
 * - `forward`: routed out `device` (for routeOutput: sent out). `type` is `broadcast` or `multicast`
 *   for such destinations (the kernel also loops a copy back locally), `unicast` otherwise.
 * - `drop`: `errno` is the kernel's error (what `ip route get` reports), `icmp` the error the kernel
 *   sends back (received packets only; a local sender gets `errno` instead).
 */
export type RouteDecision =
  | { readonly kind: "local"; readonly device: string; readonly type: "local" | "broadcast" | "multicast"; readonly detail: string }
  | {
      readonly kind: "forward";
      readonly device: string;
      readonly gateway: Address | undefined;
      readonly route: Route;
      readonly type: "unicast" | "broadcast" | "multicast";
      readonly detail: string;
    }
  | {
      readonly kind: "drop";
      readonly reason: DropReason;
      readonly errno: RouteErrno | undefined;
      readonly icmp: IcmpError | undefined;
      readonly detail: string;
    };
