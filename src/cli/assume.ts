import { parseAssumptions as readAssumptions, type Assumptions, type ConntrackAssumption, type Ruleset } from "../index.js";
import { UsageError } from "./input.js";

export interface CliAssumptions {
  readonly assume: Assumptions;
  /** `--assume conntrack=on|off`, else what `fallback` knew (a snapshot's observation). */
  readonly conntrack: ConntrackAssumption | undefined;
}

/** `--assume` values as the engine's decisions; a malformed one, or one the rules give no use, is a usage error. */
export function parseAssumptions(values: readonly string[], ruleset: Ruleset, fallback?: ConntrackAssumption): CliAssumptions {
  const parsed = readAssumptions(values, ruleset);
  if (!parsed.ok) throw new UsageError(`--assume ${parsed.message}`);
  return { assume: parsed.assume, conntrack: parsed.conntrack ?? fallback };
}
