/**
 * The one place that knows every extension: model and engine look them up
 * here by name and family.
 */
import type { Family } from "../model/types.js";
import { MATCH_EXTENSIONS } from "./match/index.js";
import { TARGET_EXTENSIONS } from "./target/index.js";
import type { MatchExtension, TargetExtension } from "./types.js";

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
  return (name, family) => byFamily[family].get(name);
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
const KNOWN_TARGET_NAMES = new Set([
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
]);

export function isKnownTargetName(name: string): boolean {
  return KNOWN_TARGET_NAMES.has(name);
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
