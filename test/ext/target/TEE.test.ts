import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-j TEE",
  [
    ["-j TEE --gateway 10.0.0.1", "="],
    ["-j TEE --gateway 10.0.0.1 --oif eth0", "="],
    ["-j TEE --gateway 10.1", "-j TEE --gateway 10.0.0.1"],
    ["-j TEE", { error: "missing-option" }],
  ],
  { table: "mangle" },
);
// Checked with iptables-restore 1.8.9: the kernel's xt_TEE is not bound to a table.
ruleCases("-j TEE outside mangle", [["-j TEE --gateway 10.0.0.1", "="]], { table: "filter" });
ruleCases("-j TEE outside mangle (raw)", [["-j TEE --gateway 10.0.0.1", "="]], { table: "raw", chain: "OUTPUT" });
ruleCases("-j TEE (IPv6)", [["-j TEE --gateway 2001:db8::1", "="]], { table: "mangle", family: "ipv6" });

describe("-j TEE semantics (tee_tg4)", () => {
  test("the original goes on; the note tells of the copy", () => {
    expect(applyRule("-j TEE --gateway 10.0.0.9", targetEnv())).toEqual({ kind: "continue", note: "TEE: a copy of the packet is routed to 10.0.0.9; the original goes on" });
  });
});
