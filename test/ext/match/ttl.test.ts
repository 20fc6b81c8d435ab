import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m ttl", [
  ["-m ttl --ttl-eq 5", "="],
  ["-m ttl ! --ttl-eq 5", "="],
  ["-m ttl --ttl-lt 5", "="],
  ["-m ttl --ttl-gt 255", "="],
  ["-m ttl --ttl 5", "-m ttl --ttl-eq 5"],
  ["-m ttl --ttl-gt 0x10", "-m ttl --ttl-gt 16"],
  ["-m ttl ! --ttl-lt 5", { error: "bad-negation" }],
  ["-m ttl ! --ttl 5", "-m ttl ! --ttl-eq 5"],
  ["-m ttl --ttl-gt 256", { error: "bad-value" }],
  ["-m ttl --ttl-gt 1 --ttl-eq 2", { error: "conflicting-options" }],
  ["-m ttl --ttl 1 --ttl-eq 2", { error: "duplicate-option" }],
  ["-m ttl", { error: "missing-option" }],
]);

describe("-m ttl semantics (ttl_mt)", () => {
  const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [ttl 64]");
  test("eq, ne, lt, gt at the edges", () => {
    expect(verdict("-m ttl --ttl-eq 64", env)).toBe(true);
    expect(verdict("-m ttl ! --ttl-eq 64", env)).toBe(false);
    expect(verdict("-m ttl --ttl-lt 64", env)).toBe(false);
    expect(verdict("-m ttl --ttl-lt 65", env)).toBe(true);
    expect(verdict("-m ttl --ttl-gt 63", env)).toBe(true);
  });
});
