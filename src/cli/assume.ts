import { parseAssumptions as readAssumptions, type Assumptions, type Ruleset } from "../index.js";
import { UsageError } from "./input.js";

/** `--assume` values as the engine's decisions; a malformed one, or one the rules give no use, is a usage error. */
export function parseAssumptions(values: readonly string[], ruleset: Ruleset): Assumptions {
  const parsed = readAssumptions(values, ruleset);
  if (!parsed.ok) throw new UsageError(`--assume ${parsed.message}`);
  return parsed.assume;
}
