import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j NOTRACK",
  [
    ["-j NOTRACK", "="],
    ["-p udp -m udp --dport 53 -j NOTRACK", "="],
    ["-j NOTRACK --notrack", { error: "unknown-option" }],
  ],
  { table: "raw" },
);
ruleCases("-j NOTRACK in OUTPUT (IPv6)", [["-j NOTRACK", "="]], { table: "raw", chain: "OUTPUT", family: "ipv6" });
ruleCases("-j NOTRACK outside raw", [["-j NOTRACK", { error: "bad-table" }]], { table: "filter" });

describe("-j NOTRACK semantics (notrack_tg)", () => {
  test("untracked", () => {
    const env = targetEnv({ table: "raw" });
    expect(afterContinue(applyRule("-j NOTRACK", env), env).meta.untracked).toBe(true);
  });
});
