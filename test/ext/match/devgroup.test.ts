import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m devgroup",
  [
    ["-m devgroup ! --src-group 0x10/0xff ! --dst-group 2", "-m devgroup ! --src-group 0x10/0xff ! --dst-group 0x2"],
    ["-m devgroup --dst-group 5/0xffffffff", "-m devgroup --dst-group 0x5"],
    ["-m devgroup --dst-group 0/0", "-m devgroup --dst-group 0x0/0x0"],
    ["-m devgroup --src-group 0x5/0x0f", "-m devgroup --src-group 0x5/0xf"],
    ["-m devgroup --src-group 0", "-m devgroup --src-group default"],
    ["-m devgroup --src-group default", "="],
    ["-m devgroup --src-group nosuch", { error: "bad-value" }],
    ["-m devgroup", { error: "missing-option" }],
  ],
  { table: "mangle", chain: "FORWARD" },
);
ruleCases("-m devgroup hooks", [["-m devgroup --src-group 1", { error: "bad-hook" }]], { chain: "OUTPUT" });

describe("-m devgroup semantics (devgroup_mt)", () => {
  const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { hook: "FORWARD", in: "eth0", out: "eth1" });
  test("device groups are not modelled, but a zero mask compares nothing", () => {
    expect(verdict("-m devgroup --src-group 1", env, { chain: "FORWARD" })).toBe("unknown");
    expect(verdict("-m devgroup --src-group 0/0", env, { chain: "FORWARD" })).toBe(true);
    expect(verdict("-m devgroup ! --src-group 0/0 --dst-group 1", env, { chain: "FORWARD" })).toBe(false);
  });
});
