/**
 * A MatchEnv for match semantics tests, and a one-rule evaluator: load a rule
 * as the case tables do, then ask its matches about one packet.
 */
import { parseRuleset } from "../../src/index.js";
import { isUnknown, type MatchEnv, type MatchResult } from "../../src/ext/semantics.js";
import type { Packet } from "../../src/packet/packet.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import type { CaseTableOptions } from "./rule-cases.js";

/** A packet from nfwalk's own syntax (`tcp 10.0.0.2:40000 -> 10.0.0.1:80`); throws on a bad one. */
export function packetOf(text: string): Packet {
  const parsed = parsePacketSpec(text);
  if (!parsed.ok) throw new Error(`packet "${text}": ${parsed.message}`);
  return parsed.packet;
}

/** Overrides of the default env; `packet` may be given in nfwalk's syntax. */
export type EnvOverrides = Partial<Omit<MatchEnv, "packet">> & { readonly packet?: Packet | string };

/**
 * A packet arriving on eth0 in filter INPUT, tracked as NEW, no mark, no
 * socket, no bridge; every address UNICAST.
 */
export function matchEnvB(overrides: EnvOverrides = {}): MatchEnv {
  const { packet = "tcp 10.0.0.2:40000 -> 10.0.0.1:80", ...rest } = overrides;
  return {
    hook: "INPUT",
    table: "filter",
    inInterface: "eth0",
    outInterface: undefined,
    physIn: undefined,
    physOut: undefined,
    mark: 0,
    conntrack: { state: "NEW", reply: false, status: 0, mark: 0, helper: undefined, zone: 0 },
    host: { addressType: () => "UNICAST", ipset: () => undefined },
    socket: undefined,
    linkType: "unicast",
    sourceMac: undefined,
    ...rest,
    packet: typeof packet === "string" ? packetOf(packet) : packet,
  };
}

/** A locally sent packet in filter OUTPUT from a socket of uid/gid 0. */
export function localEnvB(overrides: EnvOverrides = {}): MatchEnv {
  return matchEnvB({ hook: "OUTPUT", inInterface: undefined, outInterface: "eth0", linkType: undefined, socket: { uid: 0, gid: 0 }, ...overrides });
}

/**
 * Loads `-A CHAIN args` and evaluates its matches on `env` as the engine does
 * (false wins over unknown; the rule header is not looked at). Throws when the
 * rule does not load.
 */
export function ruleMatch(args: string, env: MatchEnv, options: CaseTableOptions = {}): MatchResult {
  const table = options.table ?? env.table;
  const chain = options.chain ?? env.hook;
  const dump = [`*${table}`, `:${chain} ACCEPT [0:0]`, `-A ${chain} ${args}`, "COMMIT", ""].join("\n");
  const result = parseRuleset(dump, { file: "case", family: options.family ?? env.packet.family });
  if (!result.ok) throw new Error(`"${args}" does not load: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const rule = result.ruleset.tablesByName.get(table)!.chainsByName.get(chain)!.rules[0]!;
  let firstUnknown: MatchResult | undefined;
  for (const use of rule.matches) {
    const r = use.extension.match ? use.extension.match(use.options, env) : { unknown: `no semantics for -m ${use.extension.name}` };
    if (r === false) return false;
    if (isUnknown(r)) firstUnknown ??= r;
  }
  return firstUnknown ?? true;
}
