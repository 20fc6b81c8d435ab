import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save / ip6tables-save 1.8.9 (nf_tables).
ruleCases("-m ah (IPv4)", [
  ["-p ah -m ah ! --ahspi 1:3", "="],
  ["-p ah -m ah --ahspi 0:4294967295", "-p ah -m ah"],
  ["-p ah -m ah --ahlen 1", { error: "unknown-option" }],
  ["-m ah --ahspi 1", { error: "missing-protocol" }],
]);
ruleCases(
  "-m ah (IPv6)",
  [
    ["-m ah --ahspi 1:2 --ahlen 5 --ahres", "="],
    ["-m ah ! --ahspi 1 ! --ahlen 5", "="],
    ["-m ah --ahlen 0", "-m ah"],
    ["-m ah ! --ahlen 0", "="],
    ["-m ah --ahres --ahspi 5", "-m ah --ahspi 5 --ahres"],
  ],
  { family: "ipv6" },
);

describe("-m ah semantics (ah_mt, ah_mt6)", () => {
  test("IPv4: the SPI is not described", () => {
    expect(verdict("-p ah -m ah", envOf("ah 10.0.0.2 -> 10.0.0.1"))).toBe(true);
    expect(verdict("-p ah -m ah --ahspi 7", envOf("ah 10.0.0.2 -> 10.0.0.1"))).toBe("unknown");
  });
  test("IPv6: no AH header, no match; a zero --ahlen is not compared, even negated", () => {
    expect(verdict("-m ah", envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2"))).toBe(false);
    expect(verdict("-m ah ! --ahlen 0 --ahres", envOf("ah 2001:db8::2 -> 2001:db8::1"))).toBe(true);
    expect(verdict("-m ah --ahlen 4", envOf("ah 2001:db8::2 -> 2001:db8::1"))).toBe("unknown");
  });
});
