import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-j IDLETIMER", [
  ["-j IDLETIMER --timeout 10 --label foo", "="],
  ["-j IDLETIMER --timeout 10", { error: "missing-option" }],
]);

describe("-j IDLETIMER semantics", () => {
  test("continues with a note", () => {
    expect(applyRule("-j IDLETIMER --timeout 10 --label foo", targetEnv({ table: "filter", hook: "INPUT" }))).toEqual({ kind: "continue", note: 'IDLETIMER: timer "foo" restarts (10 s)' });
  });
});
