import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m string", [
  ["-m string --string foo --algo bm", '-m string --string "foo" --algo bm'],
  ['-m string --algo kmp --string "a b" --from 10 --to 50', '-m string --string "a b" --algo kmp --from 10 --to 50'],
  ["-m string ! --string foo --algo bm --icase", '-m string ! --string "foo" --algo bm --icase'],
  ['-m string --hex-string "|41 42|c" --algo bm', '-m string --string "ABc" --algo bm'],
  ['-m string --string "a|b" --algo bm', '-m string --string "a|b" --algo bm'],
  ["-m string --algo bm --string x --to 65535", '-m string --string "x" --algo bm'],
  ['-m string --algo bm --hex-string "|0a0d|"', '-m string --hex-string "|0a0d|" --algo bm'],
  ["-m string --algo bm --string é", '-m string --hex-string "|c3a9|" --algo bm'],
  ["-m string --string foo", { error: "missing-option" }],
  ["-m string --algo xx --string foo", { error: "bad-value" }],
]);

describe("-m string semantics", () => {
  test("the payload is not described: unknown", () => {
    expect(ruleMatch("-m string --string GET --algo bm", matchEnvB())).toEqual({ unknown: expect.stringContaining("payload") });
  });
});
