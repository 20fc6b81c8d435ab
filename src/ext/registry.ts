/**
 * The one place that knows every extension: model and engine look them up
 * here by name and family.
 */
import type { Family } from "../model/types.js";
import { MATCH_EXTENSIONS } from "./match/index.js";
import { TARGET_EXTENSIONS } from "./target/index.js";
import type { MatchExtension, TargetExtension } from "./types.js";

/**
 * Values by name, found by comparing a name with the few names of its length. The names looked
 * up are words just read from a dump (every -m and -j): a Map would first hash each of them,
 * which was most of the time of a lookup, and a chain's name of no target's length is no target
 * at a glance.
 */
class ByName<V> {
  private readonly names: string[][] = [];
  private readonly values: V[][] = [];

  constructor(entries: Iterable<readonly [string, V]>) {
    for (const [name, value] of entries) {
      (this.names[name.length] ??= []).push(name);
      (this.values[name.length] ??= []).push(value);
    }
  }

  get(name: string): V | undefined {
    const names = name.length < this.names.length ? this.names[name.length] : undefined;
    if (names === undefined) return undefined;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return this.values[name.length]![i];
    return undefined;
  }
}

/** Each family's extensions by name and alias (the first of a name in the list wins): one lookup for every -m and -j of a dump. */
function index<E extends { readonly name: string; readonly families?: readonly Family[] }>(
  list: readonly E[],
  aliases: readonly (readonly [string, string])[] = [],
): (name: string, family: Family) => E | undefined {
  const byFamily = { ipv4: new Map<string, E>(), ipv6: new Map<string, E>() };
  for (const [family, byName] of Object.entries(byFamily) as [Family, Map<string, E>][]) {
    for (const e of list) if (!byName.has(e.name) && (!e.families || e.families.includes(family))) byName.set(e.name, e);
    for (const [alias, name] of aliases) {
      const e = byName.get(name);
      if (e) byName.set(alias, e);
    }
  }
  const ipv4 = new ByName(byFamily.ipv4);
  const ipv6 = new ByName(byFamily.ipv6);
  return (name, family) => (family === "ipv4" ? ipv4 : ipv6).get(name);
}

/** libxtables' xtables_find_match calls the ICMPv6 match by three names ("ugly as hell", it says). */
const MATCH_ALIASES: readonly (readonly [string, string])[] = [
  ["icmpv6", "icmp6"],
  ["ipv6-icmp", "icmp6"],
];

export const findMatch: (name: string, family: Family) => MatchExtension | undefined = index(MATCH_EXTENSIONS, MATCH_ALIASES);

/** A match iptables has only for the other family (`-m icmp` in ip6tables): iptables-restore cannot load it. */
export function isOtherFamilyMatch(name: string, family: Family): boolean {
  const other: Family = family === "ipv4" ? "ipv6" : "ipv4";
  return findMatch(name, family) === undefined && findMatch(name, other) !== undefined;
}
export const findTarget: (name: string, family: Family) => TargetExtension | undefined = index(TARGET_EXTENSIONS);

/**
 * Target names that iptables and xtables-addons provide. A `-j NAME` that is
 * neither a declared chain nor a modelled target is an unmodelled target if
 * its name is here, and a missing chain otherwise.
 */
const KNOWN_TARGET_NAMES = new ByName(
  [
    // iptables 1.8 extensions
    "AUDIT",
    "CHECKSUM",
    "CLASSIFY",
    "CONNMARK",
    "CONNSECMARK",
    "CT",
    "DNAT",
    "DNPT",
    "DSCP",
    "ECN",
    "HL",
    "HMARK",
    "IDLETIMER",
    "LED",
    "LOG",
    "MARK",
    "MASQUERADE",
    "NETMAP",
    "NFLOG",
    "NFQUEUE",
    "NOTRACK",
    "RATEEST",
    "REDIRECT",
    "REJECT",
    "SECMARK",
    "SET",
    "SNAT",
    "SNPT",
    "SYNPROXY",
    "TCPMSS",
    "TCPOPTSTRIP",
    "TEE",
    "TOS",
    "TPROXY",
    "TRACE",
    "TTL",
    // removed from the kernel, found in old dumps
    "MIRROR",
    "SAME",
    "ROUTE",
    "IPMARK",
    "XOR",
    "IMQ",
    // xtables-addons
    "ACCOUNT",
    "CHAOS",
    "DELUDE",
    "DHCPMAC",
    "DNETMAP",
    "ECHO",
    "LOGMARK",
    "PROTO",
    "SYSRQ",
    "STEAL",
    "TARPIT",
  ].map((name) => [name, true] as const),
);

export function isKnownTargetName(name: string): boolean {
  return KNOWN_TARGET_NAMES.get(name) !== undefined;
}

/**
 * Targets iptables still knows but today's kernels no longer have: iptables-restore
 * refuses them ("Extension … not supported, missing kernel module?").
 */
const REMOVED_TARGETS: ReadonlyMap<string, string> = new Map([
  ["CLUSTERIP", "target CLUSTERIP is gone from the kernel (removed in Linux 6.3; the cluster match replaces it): iptables-restore refuses it"],
  ["ULOG", "target ULOG is gone from the kernel (removed in Linux 3.17; NFLOG replaces it): iptables-restore refuses it"],
]);

/** Why iptables-restore refuses a target the kernel no longer has, or undefined. */
export function removedTarget(name: string): string | undefined {
  return REMOVED_TARGETS.get(name);
}
