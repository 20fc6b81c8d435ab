import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against ip6tables-save 1.8.9 (nf_tables) with ipt-canon -6.
ruleCases(
  "-m hl",
  [
    ["-m hl --hl-eq 255", "="],
    ["-m hl --hl-eq 42", "="],
    ["-m hl ! --hl-eq 1", "="],
    ["-m hl --hl-lt 42", "="],
    ["-m hl --hl-gt 42", "="],
    ["-m hl --hl 1", "-m hl --hl-eq 1"],
    ["-m hl ! --hl-gt 42", { error: "bad-negation" }],
    ["-m hl --hl-gt 42 --hl-eq 42", { error: "conflicting-options" }],
    ["-m hl --hl-gt", { error: "missing-argument" }],
    ["-m hl --hl-eq 256", { error: "bad-value" }],
    ["-m hl", { error: "missing-option" }],
  ],
  { family: "ipv6" },
);

describe("-m hl semantics (hl_mt6)", () => {
  test("the hop limit", () => {
    const env = envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2 [ttl 1]");
    expect(verdict("-m hl --hl-eq 1", env)).toBe(true);
    expect(verdict("-m hl --hl-gt 1", env)).toBe(false);
    expect(verdict("-m hl ! --hl-eq 255", env)).toBe(true);
  });
});
