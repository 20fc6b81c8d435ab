/**
 * Case tables for extensions, in the spirit of iptables' own
 * `extensions/*.t` files: a rule as written, and what iptables-save prints
 * for it after iptables-restore (`=` when it is printed unchanged), or the
 * code of the error nfwalk must give because iptables-restore refuses it.
 */
import { describe, expect, test } from "vitest";
import { parseRuleset } from "../../src/index.js";
import { formatRule } from "../../src/ruleset/save.js";
import type { Family, TableName } from "../../src/model/types.js";

export interface CaseTableOptions {
  readonly table?: TableName;
  readonly family?: Family;
  /** The chain the rules are appended to (default: a built-in one that fits the table). */
  readonly chain?: string;
  /** User chains to declare, for jumps. */
  readonly chains?: readonly string[];
}

/** [rule arguments after `-A CHAIN`, canonical text or "=", or { error: code }] */
export type RuleCase = readonly [string, string | { readonly error: string }];

const DEFAULT_CHAIN: Readonly<Record<TableName, string>> = {
  filter: "INPUT",
  nat: "PREROUTING",
  mangle: "PREROUTING",
  raw: "PREROUTING",
  security: "INPUT",
};

export type RuleOutcome =
  | { readonly ok: true; readonly text: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly codes: readonly string[]; readonly messages: readonly string[] };

/** Loads one rule in a minimal dump and returns its canonical text (without `-A CHAIN `). */
export function loadRule(args: string, options: CaseTableOptions = {}): RuleOutcome {
  const table = options.table ?? "filter";
  const chain = options.chain ?? DEFAULT_CHAIN[table];
  const declared = [chain, ...(options.chains ?? [])].map((name) => `:${name} ${/^[A-Z]+ROUTING$|^INPUT$|^OUTPUT$|^FORWARD$/.test(name) ? "ACCEPT" : "-"} [0:0]`);
  const dump = [`*${table}`, ...declared, `-A ${chain} ${args}`, "COMMIT", ""].join("\n");
  const result = parseRuleset(dump, { file: "case", family: options.family ?? "ipv4" });
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    return { ok: false, codes: errors.map((d) => d.code), messages: errors.map((d) => d.message) };
  }
  const rule = result.ruleset.tablesByName.get(table)!.chainsByName.get(chain)!.rules[0]!;
  const warnings = result.diagnostics.map((d) => d.code);
  return { ok: true, text: formatRule(rule, result.ruleset.family).slice(`-A ${chain} `.length), warnings };
}

/** Declares one vitest test per case. */
export function ruleCases(title: string, cases: readonly RuleCase[], options: CaseTableOptions = {}): void {
  describe(title, () => {
    test.each(cases.map(([input, expected]) => ({ input, expected })))("$input", ({ input, expected }) => {
      const outcome = loadRule(input, options);
      if (typeof expected === "string") {
        expect(outcome).toMatchObject({ ok: true, text: expected === "=" ? input : expected });
      } else {
        expect(outcome.ok, `expected error ${expected.error}, got ${JSON.stringify(outcome)}`).toBe(false);
        if (!outcome.ok) expect(outcome.codes).toContain(expected.error);
      }
    });
  });
}
