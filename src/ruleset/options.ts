/**
 * Typed access to the options of a rule's extension uses. A rule keeps each use's options
 * as `unknown`, since a rule may hold any extension; asked for by the extension itself
 * (the object, not its name), they have that extension's type, because its `parse` made them.
 */
import type { MatchExtension, TargetExtension } from "../ext/types.js";
import type { MatchUse, Rule } from "./types.js";

/** The options of every use of `extension` among the rule's matches, in the rule's order. */
export function matchOptions<O>(rule: Rule, extension: MatchExtension<O>): O[] {
  const found: O[] = [];
  for (const use of rule.matches) {
    const options = useOptions(use, extension);
    if (options !== undefined) found.push(options);
  }
  return found;
}

/** The options of one match use, when it is a use of `extension`. */
export function useOptions<O>(use: MatchUse, extension: MatchExtension<O>): O | undefined {
  return use.extension === extension ? (use.options as O) : undefined;
}

/** The options of the rule's target, when its target is `extension`. */
export function targetOptions<O>(rule: Rule, extension: TargetExtension<O>): O | undefined {
  const action = rule.action;
  return action?.kind === "target" && action.target.extension === extension ? (action.target.options as O) : undefined;
}
