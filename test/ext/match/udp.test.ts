import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m udp", [
  ["-p udp -m udp --sport 1", "="],
  ["-p udp -m udp --dport 65535", "="],
  ["-p udp -m udp --sport 1024:", "-p udp -m udp --sport 1024:65535"],
  ["-p udp --sport 1: --dport :10", "-p udp -m udp --sport 1:65535 --dport 0:10"],
  ["-p udp -m udp ! --sport 1 --dport 65535", "="],
  ["-p udp --destination-port 53", "-p udp -m udp --dport 53"],
  ["-p udp --dpo 53", "-p udp -m udp --dport 53"],
  ["-p udp --dport=53", "-p udp -m udp --dport 53"],
  ["-p udp --dport 53 --sport 68", "-p udp -m udp --sport 68 --dport 53"],
  ["-p udp -m udp -m udp --dport 1", "="],
  ["-m udp -p udp --dport 1", "-p udp -m udp --dport 1"],
  ["-p 17 -m udp --dport 1", "-p udp -m udp --dport 1"],
  ["! -p udp -m udp --dport 1", "="],
  ["-p udp -m udp", "="],
  // nf_tables reshapes: a negated 0:hi is "above hi"; a negated full range is dropped
  ["-p udp ! --sport 0:10", "-p udp -m udp --sport 11:65535"],
  ["-p udp ! --sport 10:65535", "-p udp -m udp ! --sport 10:65535"],
  ["-p udp ! --sport 0 ! --dport 0", "-p udp -m udp ! --sport 0 ! --dport 0"],
  ["-p udp ! --sport 1 ! --dport 2", "-p udp -m udp ! --sport 1 ! --dport 2"],
  ["-p udp ! --dport 0:65535 --sport 1", "-p udp -m udp --sport 1"],
  ["-p udp --dport 0:0", "-p udp -m udp --dport 0"],
  ["-p udp --dport :", "-p udp -m udp"],
  ["-p udp -m udp ! --sport :", "-p udp"],
  ["! -p udp -m udp ! --dport 0:65535", "! -p udp"],
  // getaddrinfo: any tcp or udp service name, decimal only, truncated to 16 bits, order unchecked
  ["-p udp --dport http", "-p udp -m udp --dport 80"],
  ["-p udp --dport domain:bootps", "-p udp -m udp --dport 53:67"],
  ["-p udp --dport 010", "-p udp -m udp --dport 10"],
  ["-p udp --dport +5", "-p udp -m udp --dport 5"],
  ["-p udp --dport 65536", "-p udp -m udp --dport 0"],
  ["-p udp --dport 70000", "-p udp -m udp --dport 4464"],
  ["-p udp --dport 5:3", "-p udp -m udp --dport 5:3"],
  ["-p udp --dport 0x10", { error: "bad-port" }],
  ["-p udp --dport 5a", { error: "bad-port" }],
  ["-p udp --dport DOMAIN", { error: "bad-port" }],
  ["-p udp -m udp --sport -1", { error: "bad-port" }],
  ["-p udp --dport 1:2:3", { error: "bad-port" }],
  ["-p udp --sport 1 --sport 2", { error: "duplicate-option" }],
  ["-m udp --dport 1", { error: "missing-protocol" }],
  ["-p tcp -m udp --dport 1", { error: "missing-protocol" }],
  ["-p udplite -m udp --dport 1", { error: "missing-protocol" }],
  ["-m udp", { error: "missing-protocol" }],
  ["-p tcp -m udp", { error: "missing-protocol" }],
  ["! -p udp -m udp", { error: "missing-protocol" }],
]);

describe("-m udp semantics (nf_tables payload comparisons)", () => {
  const env = envOf("udp 10.0.0.2:5353 -> 10.0.0.1:53");
  test("ranges and inversion", () => {
    expect(verdict("-p udp -m udp --dport 53", env)).toBe(true);
    expect(verdict("-p udp -m udp ! --dport 53", env)).toBe(false);
    expect(verdict("-p udp -m udp --sport 1024: --dport 50:60", env)).toBe(true);
  });
  test("two negated single ports are compared as one pair: the rule fails only if both are equal", () => {
    expect(verdict("-p udp -m udp ! --sport 5353 ! --dport 54", env)).toBe(true);
    expect(verdict("-p udp -m udp ! --sport 5353 ! --dport 53", env)).toBe(false);
  });
  test("a later fragment never matches", () => {
    expect(verdict("-p udp -m udp ! --dport 1", envOf("udp 10.0.0.2:5353 -> 10.0.0.1:53 [frag 1]"))).toBe(false);
  });
  test("a negated full range makes no comparison: every packet matches, later fragments too", () => {
    expect(verdict("-p udp -m udp ! --dport 0:65535", env)).toBe(true);
    expect(verdict("-p udp -m udp ! --dport 0:65535", envOf("udp 10.0.0.2:5353 -> 10.0.0.1:53 [frag 1]"))).toBe(true);
  });
});
