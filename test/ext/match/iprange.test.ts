import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m iprange", [
  ["-m iprange --src-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange ! --src-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange --dst-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange ! --dst-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange ! --dst-range 1.1.1.1-1.1.1.10 --src-range 2.2.2.2-2.2.2.3", "-m iprange --src-range 2.2.2.2-2.2.2.3 ! --dst-range 1.1.1.1-1.1.1.10"],
  ["-m iprange --src-range 1.1.1.1", "-m iprange --src-range 1.1.1.1-1.1.1.1"],
  ["-m iprange --src-range 1.1.1.10-1.1.1.1", "="],
  ["-m iprange --src-range 1.1.1.1-", { error: "bad-address" }],
  ["-m iprange --src-range 1.1.1.1-2001:db8::1", { error: "bad-address" }],
  ["-m iprange", { error: "missing-option" }],
]);
ruleCases(
  "-m iprange (IPv6)",
  [
    ["-m iprange --src-range 2001:db8::1-2001:db8::ff", "="],
    ["-m iprange --src-range 2001:db8::ff-2001:db8::1", "="],
    ["-m iprange ! --dst-range 2001:DB8::1", "-m iprange ! --dst-range 2001:db8::1-2001:db8::1"],
    ["-m iprange --src-range 1.1.1.1-1.1.1.2", { error: "bad-address" }],
  ],
  { family: "ipv6" },
);

describe("-m iprange semantics (iprange_mt4/6)", () => {
  test("inclusive ranges, inversion, a reversed range", () => {
    const env = envOf("tcp 10.0.0.5:1 -> 10.0.1.255:2");
    expect(verdict("-m iprange --src-range 10.0.0.1-10.0.0.5 --dst-range 10.0.1.0-10.0.1.255", env)).toBe(true);
    expect(verdict("-m iprange ! --src-range 10.0.0.1-10.0.0.5", env)).toBe(false);
    expect(verdict("-m iprange --src-range 10.0.0.9-10.0.0.1", env)).toBe(false);
    expect(verdict("-m iprange --src-range 2001:db8::1-2001:db8::ff", envOf("udp [2001:db8::80]:1 -> [2001:db8::1]:2"))).toBe(true);
  });
});
