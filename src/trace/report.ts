/**
 * A traced packet as a test case, for `trace --batch` in CI formats: it passes when it gets
 * there (what makes `trace` exit 0), fails when it is dropped or rejected whichever way it
 * goes (exit 1), and is undetermined when that depends on what nfwalk cannot know (exit 3).
 */
import type { ReportLocation, TestCase } from "../report/index.js";
import type { TraceJson } from "./json.js";
import { reachedOf } from "./reached.js";

/**
 * @param name - says which packet: the batch line's number, its PACKET and origin
 * @param location - the batch line
 * @param details - the trace as text, made for a case that did not pass
 */
export function traceCase(trace: TraceJson, name: string, location: ReportLocation, details: () => string): TestCase {
  const reached = reachedOf(trace);
  if (reached === true) return { name, status: "pass", location };
  if (reached === false) {
    const how = trace.outcome === "undetermined" ? "dropped or rejected whichever way the unknown matches go" : trace.outcome;
    return { name, status: "fail", severity: "error", message: `${how}: ${trace.reason}`, location, details: details() };
  }
  return { name, status: "undetermined", message: trace.reason, location, details: details() };
}
