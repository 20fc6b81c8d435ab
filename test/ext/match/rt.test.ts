import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against ip6tables-save 1.8.9 (nf_tables).
ruleCases(
  "-m rt",
  [
    ["-m rt --rt-type 0 --rt-segsleft 0", "="],
    ["-m rt", "="],
    ["-m rt --rt-type 0 --rt-segsleft 1:23 --rt-len 42 --rt-0-res", "="],
    ["-m rt ! --rt-type 1 ! --rt-segsleft 12:23 ! --rt-len 42", "="],
    ["-m rt ! --rt-segsleft 0:4294967295", "-m rt"],
    ["-m rt --rt-segsleft 5:", "-m rt --rt-segsleft 5:4294967295"],
    ["-m rt --rt-segsleft :5", "-m rt --rt-segsleft 0:5"],
    ["-m rt --rt-segsleft 7:3", "="],
    ["-m rt --rt-segsleft 3:3", "-m rt --rt-segsleft 3"],
    ["-m rt --rt-type 256", "="],
    ["-m rt --rt-type 0x10", "-m rt --rt-type 16"],
    ["-m rt --rt-len 4294967295", "="],
    ["-m rt --rt-type 0 --rt-0-addrs 2001:db8::1,::1.2.3.4,::ffff:1.2.3.4", "="],
    ["-m rt --rt-type 0 --rt-0-addrs 2001:db8::1 --rt-0-not-strict", "="],
    ["-m rt --rt-type 0 --rt-0-addrs 1::1,1::2,1::3,1::4,1::5,1::6,1::7,1::8,1::9,1::10,1::11,1::12,1::13,1::14,1::15,1::16", "="],
    ["-m rt --rt-segsleft 4294967296", { error: "bad-value" }],
    ["-m rt --rt-0-res", { error: "missing-option" }],
    ["-m rt --rt-type 1 --rt-0-res", { error: "missing-option" }],
    ["-m rt ! --rt-type 0 --rt-0-res", { error: "missing-option" }],
    ["-m rt --rt-0-res --rt-type 0", { error: "missing-option" }],
    ["-m rt --rt-type 0 --rt-0-not-strict", { error: "missing-option" }],
    ["-m rt --rt-type 0 --rt-0-addrs 10.0.0.1", { error: "bad-address" }],
    ["-m rt --rt-type 0 --rt-0-addrs ::1,::2,::3,::4,::5,::6,::7,::8,::9,::10,::11,::12,::13,::14,::15,::16,::17", { error: "bad-value" }],
  ],
  { family: "ipv6" },
);

describe("-m rt semantics (rt_mt6)", () => {
  const env = matchEnvB({ packet: "tcp [2001:db8::2]:1000 -> [2001:db8::1]:80" });
  test("no routing header: no match, negated options included", () => {
    expect(ruleMatch("-m rt", env)).toBe(false);
    expect(ruleMatch("-m rt ! --rt-type 0 ! --rt-segsleft 1", env)).toBe(false);
  });
});
