import { describe, expect, test } from "vitest";
import { localEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
// iptables-restore refuses a rule whose accounting object does not exist (nfacct add NAME).
ruleCases("-m nfacct", [
  // iptables-save 1.8.9 prints two blanks before the name (checked in a namespace).
  ["-m nfacct --nfacct-name http", "-m nfacct --nfacct-name  http"],
  ["-m nfacct", { error: "missing-option" }],
]);

describe("-m nfacct semantics (nfacct_mt)", () => {
  test("matches unless the object has a quota not used up: unknown", () => {
    expect(ruleMatch("-m nfacct --nfacct-name http", localEnvB())).toEqual({ unknown: expect.stringContaining('"http"') });
  });
});
