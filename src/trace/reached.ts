/**
 * Whether a packet gets there, as the exit codes say it: every way it may go (every branch of
 * an unknown match) reaches a destination, none does, or it depends on what nfwalk cannot know.
 * Branches that end alike in this sense leave nothing undetermined for the exit code, even when
 * they differ in interface or header. Takes the engine's trace or its JSON alike.
 */
import type { Outcome } from "../engine/types.js";

const REACHED: ReadonlySet<Outcome> = new Set(["delivered", "forwarded", "sent"]);
const STOPPED: ReadonlySet<Outcome> = new Set(["dropped", "rejected"]);

export interface Ends {
  readonly outcome: Outcome;
  readonly branches?: readonly { readonly outcome: Outcome }[] | undefined;
}

export function reachedOf(trace: Ends): boolean | undefined {
  const ends = trace.outcome === "undetermined" ? (trace.branches ?? []).map((b) => b.outcome) : [trace.outcome];
  if (ends.length > 0 && ends.every((o) => REACHED.has(o))) return true;
  if (ends.length > 0 && ends.every((o) => STOPPED.has(o))) return false;
  return undefined;
}
