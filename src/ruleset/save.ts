/**
 * Ruleset → text, exactly as iptables-save (nf_tables) prints it after
 * iptables-restore of the same dump: tables in its order, every built-in
 * chain, user chains sorted, options in each extension's canonical form.
 */
import { protocolName } from "../ext/values.js";
import { formatCidr, isAnyAddress } from "../model/address.js";
import type { SaveContext } from "../ext/types.js";
import type { Counters, Family, HeaderMatch, Negatable } from "../model/types.js";
import type { Chain, Rule, Ruleset } from "./types.js";

/** How a ruleset is printed. */
export interface FormatOptions {
  /** Print `[packets:bytes]` where the dump gave them (default true). */
  readonly counters?: boolean;
}

/** The ruleset as `iptables-save` prints it after `iptables-restore` of the same dump. */
export function formatRuleset(ruleset: Ruleset, options: FormatOptions = {}): string {
  let text = "";
  for (const line of rulesetLines(ruleset, options)) text += line;
  return text;
}

/**
 * The same text line by line (each with its "\n"), made as it is read: a
 * large ruleset need never be one string in memory.
 */
export function* rulesetLines(ruleset: Ruleset, options: FormatOptions = {}): Generator<string> {
  const withCounters = options.counters ?? true;
  // One context for every rule: the extensions' save() only reads it.
  const context: SaveContext = { family: ruleset.family };
  // Counted loops: V8 makes an object for every step of a for-of in a generator.
  for (const table of ruleset.tables) {
    yield `*${table.name}\n`;
    const chains = table.chains;
    for (let c = 0; c < chains.length; c++) yield formatChainLine(chains[c]!, withCounters) + "\n";
    for (let c = 0; c < chains.length; c++) {
      const rules = chains[c]!.rules;
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r]!;
        const text = ruleText(rule, context);
        yield withCounters && rule.counters ? `${formatCounters(rule.counters)} ${text}\n` : text + "\n";
      }
    }
    yield "COMMIT\n";
  }
}

function formatChainLine(chain: Chain, withCounters: boolean): string {
  const counters = withCounters && chain.counters ? formatCounters(chain.counters) : "[0:0]";
  return `:${chain.name} ${chain.policy ?? "-"} ${counters}`;
}

function formatCounters(counters: Counters): string {
  return `[${counters.packets}:${counters.bytes}]`;
}

/** One rule as `-A CHAIN …`, without counters. */
export function formatRule(rule: Rule, family: Family): string {
  return ruleText(rule, { family });
}

function ruleText(rule: Rule, saveContext: SaveContext): string {
  let text = `-A ${rule.chain}${formatHeader(rule.header)}`;
  const matches = rule.matches;
  for (let m = 0; m < matches.length; m++) {
    const match = matches[m]!;
    const saved = match.extension.save(match.options, saveContext);
    if (saved !== null) text += ` -m ${match.extension.name}${saved}`;
  }
  const action = rule.action;
  if (action?.kind === "target") {
    const { extension, options } = action.target;
    text += ` -j ${extension.name}${extension.save(options, saveContext) ?? ""}`;
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
  const { source, destination } = header;
  if (source && !(isAnyAddress(source.value) && !source.negated)) text += `${negation(source)} -s ${formatCidr(source.value)}`;
  if (destination && !(isAnyAddress(destination.value) && !destination.negated)) text += `${negation(destination)} -d ${formatCidr(destination.value)}`;
  if (header.inInterface) text += `${negation(header.inInterface)} -i ${header.inInterface.value}`;
  if (header.outInterface) text += `${negation(header.outInterface)} -o ${header.outInterface.value}`;
  if (header.protocol) text += `${negation(header.protocol)} -p ${protocolName(header.protocol.value) ?? header.protocol.value}`;
  if (header.fragment) text += `${negation(header.fragment)} -f`;
  return text;
}
