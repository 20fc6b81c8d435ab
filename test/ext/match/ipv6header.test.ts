import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against ip6tables-save 1.8.9 (nf_tables).
ruleCases(
  "-m ipv6header",
  [
    ["-m ipv6header ! --header ipv6-frag,esp --soft", "="],
    ["-m ipv6header --header prot", "-m ipv6header --header protocol"],
    ["-m ipv6header --header ipv6-opts,ipv6-route,ah,ipv6-nonxt,none,protocol,auth,dst,route,frag,hop", "-m ipv6header --header hop-by-hop,ipv6-opts,ipv6-route,ipv6-frag,ah,ipv6-nonxt,protocol"],
    ["-m ipv6header --header IPv6-Frag,HOPOPT", "-m ipv6header --header hop-by-hop,ipv6-frag"],
    ["-m ipv6header --header 0,43,44,50,51,59,60,6", { error: "bad-value" }],
    ["-m ipv6header --header tcp", { error: "bad-value" }],
    ["-m ipv6header", { error: "missing-option" }],
  ],
  { family: "ipv6" },
);

describe("-m ipv6header semantics (ipv6header_mt6)", () => {
  const plain = envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2");
  test("exact mode: only the upper-layer protocol", () => {
    expect(verdict("-m ipv6header --header protocol", plain)).toBe(true);
    expect(verdict("-m ipv6header ! --header protocol", plain)).toBe(false);
    expect(verdict("-m ipv6header --header frag,protocol", plain)).toBe(false);
  });
  test("soft mode: at least (or, negated, none of) the headers", () => {
    const fragment = envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2 [frag 8]");
    expect(verdict("-m ipv6header --header frag --soft", fragment)).toBe(true);
    expect(verdict("-m ipv6header ! --header frag --soft", fragment)).toBe(false);
    expect(verdict("-m ipv6header ! --header hop,esp --soft", fragment)).toBe(true);
  });
  test("ESP ends the chain", () => {
    expect(verdict("-m ipv6header --header esp", envOf("esp 2001:db8::2 -> 2001:db8::1"))).toBe(true);
  });
});
