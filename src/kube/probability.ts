/** The odds of kube-proxy's `-m statistic --mode random --probability P`, as the kernel keeps them (P rounded to n/2^31). */
import { statistic } from "../ext/match/statistic.js";
import { matchOptions } from "../ruleset/options.js";
import type { Rule } from "../ruleset/types.js";

const SCALE = 0x80000000;

/** The chance the rule's random statistic match holds; undefined when the rule has none. */
export function randomChance(rule: Rule): number | undefined {
  const o = matchOptions(rule, statistic)[0];
  if (o?.mode !== "random") return undefined;
  const p = o.probability / SCALE;
  return o.negated ? 1 - p : p;
}
