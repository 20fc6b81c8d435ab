import type { Token } from "../parse/syntax.js";
import type { MatchExtension, TargetExtension } from "./types.js";
import { saveString } from "./values.js";

/** The words of an extension nfwalk does not model, kept exactly as written. */
export interface UnknownOptions {
  readonly words: readonly Token[];
}

/** How iptables-save would print a word: bare when safe, quoted otherwise. */
function saveWord(word: Token): string {
  return /^[^\s"'\\]+$/.test(word.text) && !word.quoted ? " " + word.text : saveString(word.text);
}

function saveWords(options: UnknownOptions): string {
  return options.words.map(saveWord).join("");
}

/**
 * Stands in for a `-m NAME` nfwalk does not know: the rule loads, prints back
 * as written, and the engine treats the match as unknown.
 */
export function unknownMatch(name: string): MatchExtension<UnknownOptions> {
  return { kind: "match", name, unmodelled: true, options: [], parse: () => ({ words: [] }), save: saveWords };
}

export function unknownTarget(name: string): TargetExtension<UnknownOptions> {
  return { kind: "target", name, unmodelled: true, options: [], parse: () => ({ words: [] }), save: saveWords };
}
