/**
 * The one place that knows every extension: model and engine look them up
 * here by name and family.
 */
import type { Family } from "../model/types.js";
import { MATCH_EXTENSIONS } from "./match/index.js";
import { TARGET_EXTENSIONS } from "./target/index.js";
import type { MatchExtension, TargetExtension } from "./types.js";

function index<E extends { readonly name: string; readonly families?: readonly Family[] }>(list: readonly E[]): (name: string, family: Family) => E | undefined {
  const byName = new Map<string, E[]>();
  for (const e of list) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  return (name, family) => byName.get(name)?.find((e) => !e.families || e.families.includes(family));
}

export const findMatch: (name: string, family: Family) => MatchExtension | undefined = index(MATCH_EXTENSIONS);
export const findTarget: (name: string, family: Family) => TargetExtension | undefined = index(TARGET_EXTENSIONS);

/**
 * Target names that iptables and xtables-addons provide. A `-j NAME` that is
 * neither a declared chain nor a modelled target is an unmodelled target if
 * its name is here, and a missing chain otherwise.
 */
const KNOWN_TARGET_NAMES = new Set([
  // iptables 1.8 extensions
  "AUDIT", "CHECKSUM", "CLASSIFY", "CLUSTERIP", "CONNMARK", "CONNSECMARK", "CT", "DNAT", "DNPT", "DSCP", "ECN",
  "HL", "HMARK", "IDLETIMER", "LED", "LOG", "MARK", "MASQUERADE", "NETMAP", "NFLOG", "NFQUEUE", "NOTRACK",
  "RATEEST", "REDIRECT", "REJECT", "SECMARK", "SET", "SNAT", "SNPT", "SYNPROXY", "TCPMSS", "TCPOPTSTRIP", "TEE",
  "TOS", "TPROXY", "TRACE", "TTL", "ULOG",
  // removed from the kernel, found in old dumps
  "MIRROR", "SAME", "ROUTE", "IPMARK", "XOR", "IMQ",
  // xtables-addons
  "ACCOUNT", "CHAOS", "DELUDE", "DHCPMAC", "DNETMAP", "ECHO", "LOGMARK", "PROTO", "SYSRQ", "STEAL", "TARPIT",
]);

export function isKnownTargetName(name: string): boolean {
  return KNOWN_TARGET_NAMES.has(name);
}
