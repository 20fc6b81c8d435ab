/**
 * Published ports, read from Docker's DNAT rules in nat DOCKER
 * (`-A DOCKER [-d HOSTADDR] [! -i BRIDGE] -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80`):
 * the host address and port, where they lead, and the protocol.
 */
import { DNAT } from "../ext/target/DNAT.js";
import type { Range } from "../ext/values.js";
import { protocolName } from "../ext/values.js";
import type { Cidr } from "../model/types.js";
import { targetOptions } from "../ruleset/options.js";
import type { Rule, Ruleset } from "../ruleset/types.js";
import type { Address } from "../packet/packet.js";

export interface PublishedPort {
  readonly protocol: string;
  /** The host address the port is bound to; undefined: every address of the host. */
  readonly hostAddress: Address | undefined;
  readonly hostPort: Range;
  readonly container: { readonly address: Address; readonly port: number };
  /** The container's bridge (Docker's `! -i BRIDGE`), when the rule names it. */
  readonly bridge: string | undefined;
  /** Published on 127.0.0.1 (or ::1) only: `-p 127.0.0.1:8080:80`. */
  readonly loopbackOnly: boolean;
  readonly rule: Rule;
}

export function publishedPorts(ruleset: Ruleset): PublishedPort[] {
  const docker = ruleset.tablesByName.get("nat")?.chainsByName.get("DOCKER");
  return (docker?.rules ?? []).flatMap((rule) => {
    const port = publishedPort(rule);
    return port ? [port] : [];
  });
}

function publishedPort(rule: Rule): PublishedPort | undefined {
  const range = targetOptions(rule, DNAT);
  if (range === undefined) return undefined;
  const protocol = rule.header.protocol;
  const dport = rule.matches.map((m) => (m.options as { dport?: { range: Range; negated: boolean } }).dport).find((d) => d !== undefined);
  if (!range.addresses || !range.ports || !protocol || protocol.negated || !dport || dport.negated) return undefined;
  const destination = rule.header.destination;
  const hostAddress = destination && !destination.negated ? hostOf(destination.value) : undefined;
  const inInterface = rule.header.inInterface;
  const container: Address = range.addresses.family === "ipv4" ? { family: "ipv4", value: range.addresses.min } : { family: "ipv6", value: range.addresses.min };
  return {
    protocol: protocolName(protocol.value) ?? String(protocol.value),
    hostAddress,
    hostPort: dport.range,
    container: { address: container, port: range.ports.min },
    bridge: inInterface?.negated ? inInterface.value : undefined,
    loopbackOnly: hostAddress !== undefined && isLoopback(hostAddress),
    rule,
  };
}

function hostOf(cidr: Cidr): Address {
  return cidr.family === "ipv4" ? { family: "ipv4", value: cidr.address } : { family: "ipv6", value: cidr.address };
}

export function isLoopback(address: Address): boolean {
  return address.family === "ipv4" ? address.value >>> 24 === 127 : address.value === 1n;
}
