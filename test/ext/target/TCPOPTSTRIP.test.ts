import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-j TCPOPTSTRIP",
  [
    ["-p tcp -j TCPOPTSTRIP", "="],
    ["-p tcp -j TCPOPTSTRIP --strip-options mss,wscale", "-p tcp -j TCPOPTSTRIP --strip-options 2,3"],
    ["-p tcp -j TCPOPTSTRIP --strip-options 2,3,sack,timestamp,md5,sack-permitted", "-p tcp -j TCPOPTSTRIP --strip-options 2,3,4,5,8,19"],
    ["-p tcp -j TCPOPTSTRIP --strip-options 255", "="],
    ["-p tcp -j TCPOPTSTRIP --strip-options 1", { error: "bad-value" }],
    ["-p tcp -j TCPOPTSTRIP --strip-options mss,2", { error: "bad-value" }],
    ["-j TCPOPTSTRIP --strip-options mss", { error: "missing-protocol" }],
  ],
  { table: "mangle" },
);

describe("-j TCPOPTSTRIP semantics", () => {
  test("continues with a note", () => {
    expect(applyRule("-p tcp -j TCPOPTSTRIP --strip-options mss", targetEnv())).toEqual({ kind: "continue", note: "TCPOPTSTRIP: TCP options 2 are replaced with NOPs" });
  });
});
