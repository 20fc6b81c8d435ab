/**
 * A trace's answer from its branches: the reason of an undetermined outcome names each
 * unknown rule once (in the words of the last branch that met it), the outcomes in the order
 * the branches have them, and the reason of a branch that stopped on an unknown; reachedOf
 * (the exit code's view) sums the ends up.
 */
import { describe, expect, test } from "vitest";
import { summarize } from "../../src/engine/summary.js";
import type { Branch, ConntrackUse, Outcome, UnknownStep } from "../../src/engine/types.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { reachedOf } from "../../src/trace/reached.js";

const parsed = parsePacketSpec("tcp 10.0.0.2:40000 -> 10.0.0.1:80");
if (!parsed.ok) throw new Error(parsed.message);
const packet = parsed.packet;
const conntrack: ConntrackUse = { active: true, defragments: true, assumed: false, reason: "" };

const unknown = (chain: string, rule: number, reason: string, pinned?: true): UnknownStep => ({
  type: "unknown",
  hook: "PREROUTING",
  table: "nat",
  chain,
  rule,
  line: rule * 10,
  reason,
  assumed: "match",
  ...(pinned && { pinned }),
});
const branch = (outcome: Outcome, steps: UnknownStep[], reason = `${outcome} here`): Branch => ({ outcome, reason, probability: undefined, steps });

describe("an undetermined trace's reason", () => {
  test("each unknown rule once, in the last words met; the outcomes once each, in order; the stuck branch's reason last", () => {
    const trace = summarize(
      packet,
      { interface: "eth0" },
      [
        branch("forwarded", [unknown("A", 2, "first words"), unknown("B", 3, "b")]),
        branch("dropped", [unknown("A", 2, "second words"), unknown("C", 1, "c", true)]),
        branch("forwarded", [unknown("B", 4, "b4")]),
        branch("undetermined", [unknown("A", 2, "last words")], "a target nfwalk does not model"),
      ],
      conntrack,
    );
    expect(trace.outcome).toBe("undetermined");
    expect(trace.reason).toBe(
      "the outcome (forwarded, dropped, undetermined) depends on what nfwalk cannot know: nat A rule 2 (line 20): last words; nat B rule 3 (line 30): b; nat B rule 4 (line 40): b4; a target nfwalk does not model",
    );
  });

  test("a branch stuck on an unknown, with no unknown match to name, gives its own reason", () => {
    const trace = summarize(packet, { interface: "eth0" }, [branch("undetermined", [unknown("A", 2, "pinned", true)], "stuck here"), branch("dropped", [])], conntrack);
    expect(trace.reason).toBe("stuck here");
  });
});

describe("reachedOf", () => {
  const ends = (outcome: Outcome, branches?: Outcome[]) => reachedOf({ outcome, branches: branches?.map((o) => ({ outcome: o })) });
  test.each([
    ["delivered", undefined, true],
    ["sent", undefined, true],
    ["dropped", undefined, false],
    ["rejected", undefined, false],
    ["undetermined", undefined, undefined],
    ["undetermined", [], undefined],
    ["undetermined", ["forwarded", "delivered"], true],
    ["undetermined", ["dropped", "rejected"], false],
    ["undetermined", ["forwarded", "dropped"], undefined],
    ["undetermined", ["forwarded", "undetermined"], undefined],
  ] as const)("%s with branches %j: %s", (outcome, branches, expected) => {
    expect(ends(outcome, branches && [...branches])).toBe(expected);
  });
});
