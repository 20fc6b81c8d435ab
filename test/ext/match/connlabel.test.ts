import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m connlabel", [
  ["-m connlabel --label 1", '-m connlabel --label "1"'],
  ["-m connlabel ! --label 2 --set", '-m connlabel ! --label "2" --set'],
  ["-m connlabel --label 128", { error: "bad-value" }],
  ["-m connlabel --label foo", { error: "unknown-name" }],
  ["-m connlabel", { error: "missing-option" }],
]);

describe("-m connlabel semantics (connlabel_mt)", () => {
  const untracked = matchEnvB({ conntrack: { state: "UNTRACKED", reply: false, status: 0, mark: 0, helper: undefined, zone: 0 } });
  test("no connection: the invert flag", () => {
    expect(ruleMatch("-m connlabel --label 1", untracked)).toBe(false);
    expect(ruleMatch("-m connlabel ! --label 1 --set", untracked)).toBe(true);
  });
  test("--set matches; a plain test depends on the labels", () => {
    expect(ruleMatch("-m connlabel --label 1 --set", matchEnvB())).toBe(true);
    expect(ruleMatch("-m connlabel --label 1", matchEnvB())).toEqual({ unknown: expect.any(String) });
  });
});
