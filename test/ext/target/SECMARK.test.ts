import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { applyRule, targetEnv } from "../../helpers/target-env.js";

// From libxt_SECMARK's save; ipt-canon cannot confirm it: without SELinux the kernel refuses every context.
ruleCases(
  "-j SECMARK",
  [
    ["-j SECMARK --selctx system_u:object_r:ssh_packet_t:s0", "="],
    ["-j SECMARK", { error: "missing-option" }],
  ],
  { table: "mangle" },
);

describe("-j SECMARK semantics", () => {
  test("continues with a note", () => {
    expect(applyRule("-j SECMARK --selctx system_u:object_r:ssh_packet_t:s0", targetEnv())).toEqual({ kind: "continue", note: "SECMARK: the packet is labelled system_u:object_r:ssh_packet_t:s0" });
  });
});
