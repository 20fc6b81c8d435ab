/**
 * A change `why` may suggest, as data: a rule inserted, appended or replaced, a sysctl,
 * an address added to an ipset. Each is applied to the host nfwalk traces through the
 * same load path as the user's own files (the changed table is printed and read back by
 * parseRuleset, the set member by parseIpsetSave), so a suggestion that iptables or ipset
 * would refuse is never printed, and each prints as the command a user runs.
 */
import { parseRuleset } from "../ruleset/load.js";
import { rulesetLines } from "../ruleset/save.js";
import type { Family, TableName } from "../model/types.js";
import type { Ruleset } from "../ruleset/types.js";
import type { Host } from "../host/index.js";
import { parseIpsetSave, type IpsetContents } from "../host/ipset.js";

export type Change =
  /** `-I CHAIN N` (before the rule now at N), `-A CHAIN` (position undefined) or `-R CHAIN N`. */
  | { readonly kind: "rule"; readonly table: TableName; readonly chain: string; readonly how: "insert" | "append" | "replace"; readonly position?: number; readonly rule: string }
  | { readonly kind: "forwarding"; readonly family: Family }
  | { readonly kind: "ipset-add"; readonly set: string; readonly element: string };

/** What the engine traces: the rules, the host and its ipsets. */
export interface World {
  readonly ruleset: Ruleset;
  readonly host: Host;
  readonly ipsets?: IpsetContents;
}

export function commandOf(change: Change, family: Family): string {
  switch (change.kind) {
    case "rule": {
      const iptables = family === "ipv4" ? "iptables" : "ip6tables";
      const table = change.table === "filter" ? "" : ` -t ${change.table}`;
      const where = change.how === "append" ? `-A ${change.chain}` : `${change.how === "insert" ? "-I" : "-R"} ${change.chain} ${change.position}`;
      return `${iptables}${table} ${where} ${change.rule}`;
    }
    case "forwarding":
      return `sysctl -w ${change.family === "ipv4" ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding"}=1`;
    case "ipset-add":
      return `ipset add ${change.set} ${change.element}`;
  }
}

/** The world with the change made, or why it cannot be made (the rule does not load, the set is not known). */
export function applyChange(world: World, change: Change): World | { readonly error: string } {
  switch (change.kind) {
    case "rule":
      return withRule(world, change);
    case "forwarding": {
      const sysctls = world.host.sysctls;
      return { ...world, host: { ...world.host, sysctls: { ...sysctls, forwarding: { ...sysctls.forwarding, [change.family]: true } } } };
    }
    case "ipset-add":
      return withSetMember(world, change.set, change.element);
  }
}

export function applyChanges(world: World, changes: readonly Change[]): World | { readonly error: string } {
  let current: World | { readonly error: string } = world;
  for (const change of changes) {
    if ("error" in current) return current;
    current = applyChange(current, change);
  }
  return current;
}

/** The changed table printed as iptables-save prints it, the rule put in its place, and read back as iptables-restore would. */
function withRule(world: World, change: Extract<Change, { kind: "rule" }>): World | { readonly error: string } {
  const { ruleset } = world;
  const table = ruleset.tablesByName.get(change.table);
  const chain = table?.chainsByName.get(change.chain);
  if (!table || !chain) return { error: `there is no chain ${change.chain} in table ${change.table}` };
  const count = chain.rules.length;
  const position = change.how === "append" ? count + 1 : (change.position ?? 1);
  if (position < 1 || position > count + (change.how === "replace" ? 0 : 1)) return { error: `${change.chain} has no rule ${position}` };
  const line = `-A ${change.chain} ${change.rule}\n`;
  const prefix = `-A ${change.chain} `;
  let text = "";
  let seen = 0;
  let placed = false;
  for (const printed of rulesetLines({ ...ruleset, tables: [table] }, { counters: false })) {
    const isRule = printed.startsWith(prefix);
    if (isRule) seen += 1;
    if (isRule && seen === position && !placed) {
      text += line;
      placed = true;
      if (change.how === "replace") continue;
    }
    if (printed === "COMMIT\n" && !placed) {
      text += line;
      placed = true;
    }
    text += printed;
  }
  const loaded = parseRuleset(text, { file: "the suggested rule", family: ruleset.family });
  if (!loaded.ok) return { error: loaded.diagnostics.map((d) => d.message).join("; ") };
  const changed = loaded.ruleset.tablesByName.get(change.table)!;
  const tables = ruleset.tables.map((t) => (t.name === change.table ? changed : t));
  return { ...world, ruleset: { ...ruleset, tables, tablesByName: new Map(tables.map((t) => [t.name, t])) } };
}

/** The set with one more element, read by the same reader as `ipset save` output. */
function withSetMember(world: World, name: string, element: string): World | { readonly error: string } {
  const set = world.ipsets?.sets.get(name);
  if (!world.ipsets || !set) return { error: `the ipset ${name} is not known` };
  const parsed = parseIpsetSave(`create ${name} ${set.type} ${set.options.join(" ")}\nadd ${name} ${element}\n`, "the suggested ipset element");
  const member = parsed.ok ? parsed.value.sets.get(name)?.members[0] : undefined;
  if (!member) return { error: `ipset would refuse ${element} in ${name} (${set.type})` };
  const sets = new Map(world.ipsets.sets);
  sets.set(name, { ...set, members: [...set.members, { ...member, line: 0 }] });
  return { ...world, ipsets: { sets } };
}
