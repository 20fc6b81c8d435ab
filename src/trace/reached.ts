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
  if (trace.outcome !== "undetermined") return endOf(trace.outcome);
  // Counted, not gathered into an array: this runs for every trace of a batch.
  const branches = trace.branches ?? [];
  let reached = 0;
  let stopped = 0;
  for (const b of branches) {
    const end = endOf(b.outcome);
    if (end === true) reached++;
    else if (end === false) stopped++;
  }
  if (branches.length > 0 && reached === branches.length) return true;
  if (branches.length > 0 && stopped === branches.length) return false;
  return undefined;
}

/** One end: it got there (true), it was stopped (false), or it cannot be known. */
function endOf(outcome: Outcome): boolean | undefined {
  return REACHED.has(outcome) ? true : STOPPED.has(outcome) ? false : undefined;
}
