import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m length", [
  ["-m length --length 1", "="],
  ["-m length --length :2", "-m length --length 0:2"],
  ["-m length --length 0:3", "="],
  ["-m length --length 4:", "-m length --length 4:65535"],
  ["-m length --length 0:65535", "="],
  ["-m length ! --length 0:65535", "="],
  ["-m length --length 5:3", "="],
  ["-m length --length 0x10", "-m length --length 16"],
  ["-m length --length 0:65536", { error: "bad-value" }],
  ["-m length --length -1:65535", { error: "bad-value" }],
  ["-m length --length 1:2:3", { error: "bad-value" }],
  ["-m length", { error: "missing-option" }],
]);

describe("-m length semantics (length_mt)", () => {
  test("the IP length in the range, inverted", () => {
    const env = envOf("udp 10.0.0.2:1 -> 10.0.0.1:2 [length 100]");
    expect(verdict("-m length --length 100", env)).toBe(true);
    expect(verdict("-m length --length 0:99", env)).toBe(false);
    expect(verdict("-m length ! --length 0:99", env)).toBe(true);
  });
});
