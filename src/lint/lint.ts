/**
 * `lint`: exact findings about a ruleset — rules that never match or change
 * nothing, chains nothing uses, jumps to empty chains (NF1xx), and Docker's
 * classic traps (NF2xx, which need the host). A finding is only made when it
 * holds for every packet; what lint cannot decide exactly it does not claim.
 */
import type { DockerInventory } from "../docker/inventory.js";
import type { Host } from "../host/types.js";
import type { IpsetContents } from "../host/ipset.js";
import type { ConntrackAssumption } from "../engine/conntrack-use.js";
import { formatRule } from "../ruleset/save.js";
import type { Rule, Ruleset } from "../ruleset/types.js";
import { chainFindings } from "./chains.js";
import { dockerFindings } from "./docker.js";
import { ruleFindings } from "./shadow.js";
import { silencedBy } from "./silence.js";
import { keepsTrackingOn } from "./tracking.js";
import type { LintCode, LintFinding, LintReport, LintRuleRef } from "./types.js";

/** What {@link lint} may know beside the rules, and what it leaves out. */
export interface LintOptions {
  /** The host, for Docker's traps (NF2xx): without it they are not looked for. */
  readonly host?: Host;
  /** Docker's containers (`docker inspect`), for NF203. */
  readonly docker?: DockerInventory;
  readonly ipsets?: IpsetContents;
  readonly conntrack?: ConntrackAssumption;
  /** Codes not to report. */
  readonly ignore?: readonly LintCode[];
}

/** The findings about the ruleset, in file order. */
export function lint(ruleset: Ruleset, options: LintOptions = {}): LintReport {
  const ref = (rule: Rule): LintRuleRef => ({
    location: { file: ruleset.file, line: rule.line },
    table: rule.table,
    chain: rule.chain,
    rule: rule.number,
    text: formatRule(rule, ruleset.family),
  });
  const finder = { family: ruleset.family, ref, keepsTrackingOn: keepsTrackingOn(ruleset) };
  const all: LintFinding[] = ruleset.tables.flatMap((table) => [...ruleFindings(table, finder), ...chainFindings(table, ruleset.file, ref)]);
  if (options.host) all.push(...dockerFindings({ ruleset, host: options.host, ref, ...options }));
  const ignored = new Set(options.ignore ?? []);
  const findings = all.filter((f) => !ignored.has(f.code) && !(f.rule && silencedBy(ruleset, f.rule).has(f.code)));
  findings.sort((a, b) => a.location.line - b.location.line || a.code.localeCompare(b.code));
  return { findings, silenced: all.length - findings.length };
}
