/**
 * Ruleset → text, exactly as iptables-save (nf_tables) prints it after
 * iptables-restore of the same dump: tables in its order, every built-in
 * chain, user chains sorted, options in each extension's canonical form.
 */
import { protocolName } from "../ext/values.js";
import { formatCidr, isAnyAddress } from "./address.js";
import type { Chain, Counters, Family, HeaderMatch, Negatable, Rule, Ruleset, Table } from "./types.js";

export interface FormatOptions {
  /** Print `[packets:bytes]` where the dump gave them (default true). */
  readonly counters?: boolean;
}

export function formatRuleset(ruleset: Ruleset, options: FormatOptions = {}): string {
  const withCounters = options.counters ?? true;
  const out: string[] = [];
  for (const table of ruleset.tables) out.push(formatTable(table, ruleset.family, withCounters));
  return out.join("");
}

function formatTable(table: Table, family: Family, withCounters: boolean): string {
  const lines = [`*${table.name}`];
  for (const chain of table.chains) lines.push(formatChainLine(chain, withCounters));
  for (const chain of table.chains) {
    for (const rule of chain.rules) {
      const prefix = withCounters && rule.counters ? `${formatCounters(rule.counters)} ` : "";
      lines.push(prefix + formatRule(rule, family));
    }
  }
  lines.push("COMMIT", "");
  return lines.join("\n");
}

function formatChainLine(chain: Chain, withCounters: boolean): string {
  const counters = withCounters && chain.counters ? chain.counters : { packets: 0n, bytes: 0n };
  return `:${chain.name} ${chain.policy ?? "-"} ${formatCounters(counters)}`;
}

function formatCounters(counters: Counters): string {
  return `[${counters.packets}:${counters.bytes}]`;
}

/** One rule as `-A CHAIN …`, without counters. */
export function formatRule(rule: Rule, family: Family): string {
  let text = `-A ${rule.chain}${formatHeader(rule.header)}`;
  for (const match of rule.matches) {
    const saved = match.extension.save(match.options, { family });
    if (saved !== null) text += ` -m ${match.extension.name}${saved}`;
  }
  const action = rule.action;
  if (action?.kind === "target") {
    const { extension, options } = action.target;
    text += ` -j ${extension.name}${extension.save(options, { family }) ?? ""}`;
  } else if (action) {
    text += ` -${action.kind === "goto" ? "g" : "j"} ${action.chain}`;
  }
  return text;
}

function negation<T>(n: Negatable<T>): string {
  return n.negated ? " !" : "";
}

function formatHeader(header: HeaderMatch): string {
  let text = "";
  for (const [flag, address] of [["s", header.source], ["d", header.destination]] as const) {
    if (address && !(isAnyAddress(address.value) && !address.negated)) text += `${negation(address)} -${flag} ${formatCidr(address.value)}`;
  }
  if (header.inInterface) text += `${negation(header.inInterface)} -i ${header.inInterface.value}`;
  if (header.outInterface) text += `${negation(header.outInterface)} -o ${header.outInterface.value}`;
  if (header.protocol) text += `${negation(header.protocol)} -p ${protocolName(header.protocol.value) ?? header.protocol.value}`;
  if (header.fragment) text += `${negation(header.fragment)} -f`;
  return text;
}
