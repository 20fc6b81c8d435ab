import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j TRACE",
  [
    ["-j TRACE", "="],
    ["-p tcp -j TRACE", "="],
    ["-j TRACE --foo", { error: "unknown-option" }],
  ],
  { table: "raw" },
);
ruleCases("-j TRACE in filter (nf_tables allows it anywhere)", [["-j TRACE", "="]], { table: "filter", chain: "FORWARD" });

describe("-j TRACE semantics (trace_tg)", () => {
  test("continues with a note", () => {
    const effect = applyRule("-j TRACE", targetEnv({ table: "raw" }));
    expect(effect.kind).toBe("continue");
    expect(afterContinue(effect, targetEnv()).note).toMatch(/every rule/);
  });
});
