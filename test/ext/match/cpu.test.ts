import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m cpu", [
  ["-m cpu --cpu 0", "="],
  ["-m cpu ! --cpu 0", "="],
  ["-m cpu --cpu 4294967295", "="],
  ["-m cpu --cpu 0x10", "-m cpu --cpu 16"],
  ["-m cpu --cpu 4294967296", { error: "bad-value" }],
  ["-m cpu", { error: "missing-option" }],
]);

describe("-m cpu semantics (cpu_mt)", () => {
  test("always unknown", () => {
    expect(verdict("-m cpu --cpu 0", envOf("udp 10.0.0.2:1 -> 10.0.0.1:2"))).toBe("unknown");
  });
});
