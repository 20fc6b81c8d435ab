/** libxtables' `.excl` between options of one target: at most one of a group may be given. */
import type { OptionUse, ParseContext } from "../types.js";

/** The one use among `uses` that belongs to the group, or a conflicting-options failure if there are two. */
export function atMostOne(ctx: ParseContext, uses: readonly OptionUse[], names: ReadonlySet<string> | ((use: OptionUse) => boolean)): OptionUse | undefined {
  const test = typeof names === "function" ? names : (u: OptionUse) => names.has(u.spec.name);
  const chosen = uses.filter(test);
  const [first, second] = chosen;
  if (first && second) ctx.fail(second.at, `${second.at.text} cannot be combined with ${first.at.text}`, "conflicting-options");
  return first;
}
