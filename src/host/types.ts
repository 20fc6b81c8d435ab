/**
 * The host a packet meets: its interfaces and addresses (`ip -json addr`),
 * its main routing table (`ip -json route`) and the sysctls that change
 * routing and filtering. Built from the user's files or, without them, a
 * documented default host.
 */
import type { Family } from "../model/types.js";
import type { Address } from "../packet/packet.js";

export interface InterfaceAddress {
  readonly address: Address;
  readonly prefixLength: number;
  readonly scope: "host" | "link" | "global" | "site";
  /** IPv4 broadcast address, when the interface has one. */
  readonly broadcast: Address | undefined;
}

export interface Interface {
  readonly name: string;
  readonly index: number;
  readonly kind: "loopback" | "ether" | "other";
  readonly up: boolean;
  /** The bridge (or bond) this interface is a port of. */
  readonly master: string | undefined;
  /** Addresses in the order `ip addr` lists them; the first of a family is the primary one. */
  readonly addresses: readonly InterfaceAddress[];
}

export type RouteType = "unicast" | "local" | "broadcast" | "multicast" | "blackhole" | "unreachable" | "prohibit" | "throw";

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
  | "rp-filter";

/** What routing decides for a packet (ip_route_input / ip_route_output). */
export type RouteDecision =
  | { readonly kind: "local"; readonly device: string; readonly detail: string }
  | { readonly kind: "forward"; readonly device: string; readonly gateway: Address | undefined; readonly route: Route; readonly detail: string }
  | { readonly kind: "drop"; readonly reason: DropReason; readonly detail: string; /** The ICMP error the kernel sends back, if any. */ readonly icmp: string | undefined };
