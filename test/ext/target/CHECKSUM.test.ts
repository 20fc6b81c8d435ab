import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CHECKSUM",
  [
    ["-j CHECKSUM --checksum-fill", "="],
    ["-p udp -m udp --dport 68 -j CHECKSUM --checksum-fill", "="],
    ["-j CHECKSUM", { error: "missing-option" }],
  ],
  { table: "mangle", chain: "POSTROUTING" },
);
ruleCases("-j CHECKSUM outside mangle", [["-j CHECKSUM --checksum-fill", { error: "bad-table" }]], { table: "filter" });
ruleCases("-j CHECKSUM (IPv6)", [["-j CHECKSUM --checksum-fill", "="]], { table: "mangle", family: "ipv6" });

describe("-j CHECKSUM semantics", () => {
  test("continues, nothing visible changes", () => {
    expect(applyRule("-j CHECKSUM --checksum-fill", targetEnv())).toEqual({ kind: "continue" });
  });
});
