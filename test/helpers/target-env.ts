/**
 * A TargetEnv for target semantics tests: what `extension.apply(options, env)`
 * sees when the engine reaches a rule's target, and a loader that gives the
 * parsed options of one `-j` rule as nfwalk's model keeps them.
 */
import { parseRuleset } from "../../src/index.js";
import type { Meta, TargetEffect, TargetEnv } from "../../src/ext/semantics.js";
import type { Packet } from "../../src/packet/packet.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import type { CaseTableOptions } from "./rule-cases.js";

/** Overrides of the default env: `packet` in nfwalk's syntax, `meta` field by field. */
export type TargetEnvOverrides = Partial<Omit<TargetEnv, "packet" | "meta">> & {
  readonly packet?: Packet | string;
  readonly meta?: Partial<Meta>;
};

export function packetFrom(text: string): Packet {
  const parsed = parsePacketSpec(text);
  if (!parsed.ok) throw new Error(`packet "${text}": ${parsed.message}`);
  return parsed.packet;
}

/** A tracked NEW packet arriving on eth0, in mangle PREROUTING, with no mark and no conntrack extras. */
export function targetEnv(overrides: TargetEnvOverrides = {}): TargetEnv {
  const { packet = "tcp 10.0.0.2:40000 -> 10.0.0.1:80", meta, ...rest } = overrides;
  const fullMeta: Meta = { mark: 0, connmark: 0, untracked: false, zone: 0, helper: undefined, ...meta };
  return {
    hook: "PREROUTING",
    table: "mangle",
    inInterface: "eth0",
    outInterface: undefined,
    physIn: undefined,
    physOut: undefined,
    mark: fullMeta.mark,
    conntrack: { state: "NEW", reply: false, status: 0, mark: fullMeta.connmark, helper: fullMeta.helper, zone: fullMeta.zone },
    host: { addressType: () => "UNICAST", ipset: () => undefined },
    socket: undefined,
    linkType: "unicast",
    sourceMac: undefined,
    ...rest,
    packet: typeof packet === "string" ? packetFrom(packet) : packet,
    meta: fullMeta,
  };
}

/**
 * Loads `-A CHAIN args` (table and chain from `options`, else the env's) and
 * applies its target to `env`, as the engine does when the rule matches.
 */
export function applyRule(args: string, env: TargetEnv, options: CaseTableOptions = {}): TargetEffect {
  const table = options.table ?? env.table;
  const chain = options.chain ?? env.hook;
  const dump = [`*${table}`, `:${chain} ACCEPT [0:0]`, `-A ${chain} ${args}`, "COMMIT", ""].join("\n");
  const result = parseRuleset(dump, { file: "case", family: options.family ?? env.packet.family });
  if (!result.ok) throw new Error(`"${args}" does not load: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const action = result.ruleset.tablesByName.get(table)!.chainsByName.get(chain)!.rules[0]!.action;
  if (action?.kind !== "target") throw new Error(`"${args}" has no target`);
  const { extension, options: parsed } = action.target;
  if (!extension.apply) throw new Error(`${extension.name} has no apply()`);
  return extension.apply(parsed, env);
}

/** The meta and packet after a `continue` effect; throws on any other effect. */
export function afterContinue(effect: TargetEffect, env: TargetEnv): { meta: Meta; packet: Packet; note: string | undefined } {
  if (effect.kind !== "continue") throw new Error(`expected continue, got ${JSON.stringify(effect)}`);
  return { meta: effect.update ? effect.update(env.meta) : env.meta, packet: effect.rewrite ? effect.rewrite(env.packet) : env.packet, note: effect.note };
}
