import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CONNSECMARK",
  [
    ["-j CONNSECMARK --restore", "="],
    ["-j CONNSECMARK --save", "="],
    ["-j CONNSECMARK --save --restore", { error: "conflicting-options" }],
    ["-j CONNSECMARK", { error: "missing-option" }],
  ],
  { table: "mangle" },
);
ruleCases("-j CONNSECMARK in security", [["-j CONNSECMARK --save", "="]], { table: "security", chain: "OUTPUT" });
ruleCases("-j CONNSECMARK outside mangle and security", [["-j CONNSECMARK --save", { error: "bad-table" }]], { table: "filter" });

describe("-j CONNSECMARK semantics", () => {
  test("continues", () => {
    expect(applyRule("-j CONNSECMARK --save", targetEnv()).kind).toBe("continue");
  });
});
