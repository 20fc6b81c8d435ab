import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CLASSIFY",
  [
    ["-j CLASSIFY --set-class 0000:ffff", "="],
    ["-j CLASSIFY --set-class 1:1", "-j CLASSIFY --set-class 0001:0001"],
    ["-j CLASSIFY --set-class 0x10:ff", "-j CLASSIFY --set-class 0010:00ff"],
    ["-j CLASSIFY --set-class 1:1x", "-j CLASSIFY --set-class 0001:0001"],
    ["-j CLASSIFY --set-class 10000:1ffff", "-j CLASSIFY --set-class 0000:ffff"],
    ["-j CLASSIFY --set-class 1", { error: "bad-value" }],
    ["-j CLASSIFY", { error: "missing-option" }],
  ],
  { table: "mangle", chain: "POSTROUTING" },
);
ruleCases("-j CLASSIFY in filter FORWARD", [["-j CLASSIFY --set-class 0001:0002", "="]], { chain: "FORWARD" });
ruleCases("-j CLASSIFY refused in INPUT", [["-j CLASSIFY --set-class 0001:0002", { error: "bad-hook" }]], { chain: "INPUT" });

describe("-j CLASSIFY semantics", () => {
  test("continues with the class", () => {
    expect(applyRule("-j CLASSIFY --set-class 1:10", targetEnv({ hook: "POSTROUTING" }))).toEqual({ kind: "continue", note: "CLASSIFY: tc class 1:10" });
  });
});
