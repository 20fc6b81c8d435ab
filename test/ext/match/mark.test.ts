import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m mark", [
  ["-m mark --mark 0x4000/0x4000", "="],
  ["-m mark ! --mark 0x4000/0x4000", "="],
  ["-m mark --mark 0xfeedcafe/0xfeedcafe", "="],
  ["-m mark --mark 4294967295", "-m mark --mark 0xffffffff"],
  ["-m mark --mark 0x0", "="],
  ["-m mark --mark 0", "-m mark --mark 0x0"],
  ["-m mark --mark 10", "-m mark --mark 0xa"],
  ["-m mark --mark 0x10/0xffffffff", "-m mark --mark 0x10"],
  ["-m mark --mark 0x0/0x0", "="],
  ["-m mark ! --mark 0x0/0x0", "="],
  ["-m mark --mark 0x5/0x1", "="],
  ["-s 1.2.0.0/15 -m mark --mark 0x0/0xff0", "="],
  ["-m mark --mark 4294967296", { error: "bad-value" }],
  ["-m mark --mark -1", { error: "bad-value" }],
  ["-m mark --mark 1/2/3", { error: "bad-value" }],
  ["-m mark", { error: "missing-option" }],
]);

describe("-m mark semantics (mark_mt)", () => {
  const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { mark: 0xf0000001 });
  test("value under the mask, inversion, high bits", () => {
    expect(verdict("-m mark --mark 0xf0000001", env)).toBe(true);
    expect(verdict("-m mark --mark 0x1/0xff", env)).toBe(true);
    expect(verdict("-m mark --mark 0x1", env)).toBe(false);
    expect(verdict("-m mark ! --mark 0xf0000000/0xf0000000", env)).toBe(false);
  });
});
