import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-j SYNPROXY", [
  ["-p tcp -j SYNPROXY", "="],
  ["-p tcp -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460 --ecn", "="],
  ["-p tcp -j SYNPROXY --wscale 15 --mss 65535", "="],
  ["-j SYNPROXY", { error: "missing-protocol" }],
]);
ruleCases("-j SYNPROXY in FORWARD", [["-p tcp -j SYNPROXY", "="]], { chain: "FORWARD" });
ruleCases("-j SYNPROXY in OUTPUT", [["-p tcp -j SYNPROXY", { error: "bad-hook" }]], { chain: "OUTPUT" });
ruleCases("-j SYNPROXY outside filter", [["-p tcp -j SYNPROXY", { error: "bad-table" }]], { table: "mangle", chain: "INPUT" });

describe("-j SYNPROXY semantics (synproxy_tg4)", () => {
  const env = (flags: string) => targetEnv({ table: "filter", hook: "INPUT", packet: `tcp 10.0.0.2:1 -> 10.0.0.1:80 [flags ${flags}]` });
  test("a SYN is answered with a cookie and goes no further", () => {
    expect(applyRule("-p tcp -j SYNPROXY", env("SYN"))).toEqual({ kind: "reject", reply: "a SYN-ACK with a SYN cookie from SYNPROXY; the SYN itself goes no further" });
  });
  test("an ACK depends on its cookie; others go on", () => {
    expect(applyRule("-p tcp -j SYNPROXY", env("ACK")).kind).toBe("unknown");
    expect(applyRule("-p tcp -j SYNPROXY", env("FIN,ACK"))).toEqual({ kind: "continue" });
  });
});
