import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j AUDIT", [
  ["-j AUDIT --type accept", "="],
  ["-j AUDIT --type drop", "="],
  ["-j AUDIT --type reject", "="],
  ["-j AUDIT --type ACCEPT", "-j AUDIT --type accept"],
  ["-j AUDIT", { error: "missing-option" }],
  ["-j AUDIT --type wrong", { error: "bad-value" }],
]);

describe("-j AUDIT semantics (audit_tg)", () => {
  test("continues with a note; the record does not carry the type", () => {
    expect(applyRule("-j AUDIT --type drop", targetEnv({ table: "filter", hook: "INPUT" }))).toEqual({
      kind: "continue",
      note: "AUDIT: the kernel writes a NETFILTER_PKT audit record (mark, addresses, protocol); --type drop is not in it",
    });
  });
});
