import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m ipcomp", [
  ["-p ipcomp -m ipcomp --ipcompspi 5", "="],
  ["-p ipcomp -m ipcomp ! --ipcompspi 1:10 --compres", "="],
  ["-p ipcomp -m ipcomp", "-p ipcomp -m ipcomp --ipcompspi 0"],
  ["-p 108 -m ipcomp --ipcompspi 0x10", "-p ipcomp -m ipcomp --ipcompspi 16"],
  ["-m ipcomp --ipcompspi 5", { error: "bad-protocol" }],
]);

describe("-m ipcomp semantics (comp_mt)", () => {
  test("the CPI is not described: unknown; later fragments never match", () => {
    expect(ruleMatch("-p ipcomp -m ipcomp --ipcompspi 5", matchEnvB({ packet: "108 10.0.0.2 -> 10.0.0.1" }))).toEqual({ unknown: expect.any(String) });
    expect(ruleMatch("-p ipcomp -m ipcomp ! --ipcompspi 5", matchEnvB({ packet: "108 10.0.0.2 -> 10.0.0.1 [frag 3]" }))).toBe(false);
  });
});
