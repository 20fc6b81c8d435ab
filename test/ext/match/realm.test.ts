import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m realm",
  [
    ["-m realm --realm 1", "-m realm --realm 0x1"],
    ["-m realm ! --realm 0x10/0xff", "="],
    ["-m realm --realm 0", "-m realm --realm cosmos"],
    ["-m realm --realm cosmos", "="],
    ["-m realm --realm 7/0x0f", "-m realm --realm 0x7/0xf"],
    ["-m realm --realm cosmos/0xff", { error: "bad-value" }],
  ],
  { table: "mangle", chain: "FORWARD" },
);
ruleCases("-m realm hooks", [["-m realm --realm 3", { error: "bad-hook" }]], { table: "nat", chain: "PREROUTING" });

describe("-m realm semantics (realm_mt)", () => {
  const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { hook: "FORWARD" });
  test("route realms are not modelled, but a zero mask compares 0 with the value", () => {
    expect(verdict("-m realm --realm 3", env, { chain: "FORWARD" })).toBe("unknown");
    expect(verdict("-m realm --realm 0/0", env, { chain: "FORWARD" })).toBe(true);
    expect(verdict("-m realm ! --realm 0/0", env, { chain: "FORWARD" })).toBe(false);
  });
});
