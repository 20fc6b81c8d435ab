/**
 * Match semantics in isolation: a MatchEnv built from a packet description
 * and a few overrides, and one rule's matches evaluated against it (false
 * wins over unknown, as the walk decides).
 */
import { reverseTuple, tupleOf, firstPacketState } from "../../src/engine/conntrack.js";
import { isUnknown, type AddressType, type ConntrackView, type MatchEnv, type MatchResult } from "../../src/ext/semantics.js";
import { parseRuleset } from "../../src/index.js";
import type { Family, Hook, TableName } from "../../src/model/types.js";
import { formatAddress } from "../../src/packet/format.js";
import type { Packet } from "../../src/packet/packet.js";
import { parsePacketSpec } from "../../src/packet/spec.js";

export function packetOf(text: string): Packet {
  const parsed = parsePacketSpec(text);
  if (!parsed.ok) throw new Error(`packet "${text}": ${parsed.message}`);
  return parsed.packet;
}

export interface EnvOptions {
  readonly hook?: Hook;
  readonly table?: TableName;
  readonly in?: string;
  readonly out?: string;
  readonly mark?: number;
  /** Replaces fields of the conntrack view a first packet gets (NEW with its tuples, or its INVALID/UNTRACKED state). */
  readonly conntrack?: Partial<ConntrackView>;
  /** Route types by address text (`10.0.0.1`, or `10.0.0.1%eth0` for a lookup limited to eth0); UNICAST otherwise. */
  readonly addressTypes?: Readonly<Record<string, AddressType>>;
  readonly linkType?: MatchEnv["linkType"];
  readonly sourceMac?: string;
}

/** The conntrack view of a packet that starts no known connection, as the pipeline gives it after the raw table. */
function firstConntrack(packet: Packet): ConntrackView {
  const first = firstPacketState(packet);
  const base = { reply: false, status: 0, mark: 0, helper: undefined, zone: 0 };
  if (first.state !== "NEW") return { ...base, state: first.state };
  const original = tupleOf(packet);
  return { ...base, state: "NEW", original, replyTuple: reverseTuple(original) };
}

export function envOf(packetText: string, options: EnvOptions = {}): MatchEnv {
  const packet = packetOf(packetText);
  const types = options.addressTypes ?? {};
  return {
    packet,
    hook: options.hook ?? "INPUT",
    table: options.table ?? "filter",
    inInterface: options.in,
    outInterface: options.out,
    physIn: undefined,
    physOut: undefined,
    mark: options.mark ?? 0,
    conntrack: { ...firstConntrack(packet), ...options.conntrack },
    host: {
      addressType: (address, device) => (device === undefined ? undefined : types[`${formatAddress(address)}%${device}`]) ?? types[formatAddress(address)] ?? "UNICAST",
      ipset: () => undefined,
    },
    socket: undefined,
    linkType: options.linkType ?? (options.in === undefined ? undefined : "unicast"),
    sourceMac: options.sourceMac,
  };
}

export interface RuleOptions {
  readonly family?: Family;
  readonly table?: TableName;
  readonly chain?: string;
}

/** Loads `-A CHAIN args` (the rule must load) and evaluates its matches, without the rule's header (-s, -d, -i, -p, …). */
export function matchRule(args: string, env: MatchEnv, options: RuleOptions = {}): MatchResult {
  const table = options.table ?? env.table;
  const chain = options.chain ?? env.hook;
  const dump = [`*${table}`, `:${chain} ACCEPT [0:0]`, `-A ${chain} ${args}`, "COMMIT", ""].join("\n");
  const result = parseRuleset(dump, { file: "case", family: options.family ?? env.packet.family });
  if (!result.ok) throw new Error(`rule "${args}" does not load: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const rule = result.ruleset.tablesByName.get(table)!.chainsByName.get(chain)!.rules[0]!;
  let unknown: MatchResult = true;
  for (const use of rule.matches) {
    const match = use.extension.match;
    if (!match) throw new Error(`-m ${use.extension.name} has no semantics`);
    const r = match(use.options, env);
    if (r === false) return false;
    if (isUnknown(r) && unknown === true) unknown = r;
  }
  return unknown;
}

/** `matchRule` as true, false or "unknown" (the reason dropped), for compact expectations. */
export function verdict(args: string, env: MatchEnv, options: RuleOptions = {}): boolean | "unknown" {
  const r = matchRule(args, env, options);
  return isUnknown(r) ? "unknown" : r;
}
