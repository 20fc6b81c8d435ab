/**
 * The inline way to silence a finding about one rule, kept by iptables-save
 * because it is part of the rule: a comment match naming the codes,
 * `-m comment --comment "nfwalk-ignore: NF101"` (several: `NF101,NF103` or
 * `NF101 NF103`). The comment may hold other text before it.
 */
import type { CommentOptions } from "../ext/match/comment.js";
import type { Ruleset } from "../ruleset/types.js";
import type { LintRuleRef } from "./types.js";

const IGNORE = /nfwalk-ignore:\s*([A-Z0-9]+(?:[\s,]+[A-Z0-9]+)*)/g;

/** The codes the rule's comments silence. */
export function silencedBy(ruleset: Ruleset, ref: LintRuleRef): ReadonlySet<string> {
  const rule = ruleset.tablesByName.get(ref.table)?.chainsByName.get(ref.chain)?.rules[ref.rule - 1];
  const codes = new Set<string>();
  for (const use of rule?.matches ?? []) {
    if (use.extension.name !== "comment") continue;
    for (const [, list] of (use.options as CommentOptions).text.matchAll(IGNORE)) for (const code of list!.split(/[\s,]+/)) codes.add(code);
  }
  return codes;
}
