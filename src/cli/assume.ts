import { parseAssumptions as readAssumptions, type Assumptions } from "../index.js";
import { UsageError } from "./input.js";

/** `--assume` values as the engine's decisions; a malformed one is a usage error. */
export function parseAssumptions(values: readonly string[]): Assumptions {
  const parsed = readAssumptions(values);
  if (!parsed.ok) throw new UsageError(`--assume ${parsed.message}`);
  return parsed.assume;
}
