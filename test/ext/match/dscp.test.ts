import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m dscp", [
  ["-m dscp --dscp 10", "-m dscp --dscp 0x0a"],
  ["-m dscp ! --dscp 0x3f", "="],
  ["-m dscp --dscp-class AF11", "-m dscp --dscp 0x0a"],
  ["-m dscp ! --dscp-class EF", "-m dscp ! --dscp 0x2e"],
  ["-m dscp --dscp-class cs1", "-m dscp --dscp 0x08"],
  ["-m dscp --dscp 64", { error: "bad-value" }],
  ["-m dscp --dscp 1 --dscp-class AF11", { error: "conflicting-options" }],
  ["-m dscp", { error: "missing-option" }],
]);

describe("-m dscp semantics (dscp_mt)", () => {
  const env = envOf("udp 10.0.0.2:1 -> 10.0.0.1:2 [tos 0xb9]");
  test("the upper six bits of the TOS byte; ECN bits do not count", () => {
    expect(verdict("-m dscp --dscp-class EF", env)).toBe(true);
    expect(verdict("-m dscp ! --dscp-class EF", env)).toBe(false);
    expect(verdict("-m dscp --dscp 0", env)).toBe(false);
  });
});
