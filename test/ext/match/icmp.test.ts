import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m icmp", [
  ["-p icmp -m icmp --icmp-type 8", "="],
  ["-p icmp -m icmp --icmp-type 3/4", "="],
  ["-p icmp --icmp-type echo-request", "-p icmp -m icmp --icmp-type 8"],
  ["-p icmp --icmp-type any", "-p icmp -m icmp --icmp-type any"],
  ["-p icmp ! --icmp-type any", "-p icmp -m icmp ! --icmp-type any"],
  ["-p icmp --icmp-type 255", "-p icmp -m icmp --icmp-type any"],
  ["-p icmp --icmp-type port-unreachable", "-p icmp -m icmp --icmp-type 3/3"],
  ["-p icmp -m icmp ! --icmp-type destination-unreachable", "-p icmp -m icmp ! --icmp-type 3"],
  ["-p icmp --icmp-type 3/3:5", "-p icmp -m icmp --icmp-type 3/3"],
  ["-p icmp --icmp-type 3/4:2", "-p icmp -m icmp --icmp-type 3/4"],
  ["-p icmp --icmp-type 3/0:255", "-p icmp -m icmp --icmp-type 3"],
  ["-p icmp --icmp-type ECHO-REQ", "-p icmp -m icmp --icmp-type 8"],
  ["-p icmp --icmp-type ping", "-p icmp -m icmp --icmp-type 8"],
  ["-p icmp --icmp-type 0x8", "-p icmp -m icmp --icmp-type 8"],
  ["-p icmp --icmp-type 256", { error: "bad-value" }],
  ["-p icmp --icmp-type 3:4", { error: "bad-value" }],
  ["-p icmp --icmp-type echo", { error: "bad-value" }],
  ["-p icmp --icmp-type time", { error: "bad-value" }],
  ['-p icmp --icmp-type ""', { error: "bad-value" }],
  ["-p icmp --icmp-type 3/", { error: "bad-value" }],
  ["-p icmp --icmp-type 3x", { error: "bad-value" }],
  ["-p icmp --icmp-type 300/2", { error: "bad-value" }],
  ["-p icmp --icmp-type 3/300", { error: "bad-value" }],
  ["-p icmp -m icmp", { error: "missing-option" }],
  ["-m icmp --icmp-type 8", { error: "missing-protocol" }],
  ["! -p icmp -m icmp --icmp-type 8", { error: "missing-protocol" }],
  ["-p tcp -m icmp --icmp-type 8", { error: "missing-protocol" }],
]);

describe("-m icmp semantics (icmp_match)", () => {
  const env = envOf("icmp 10.0.0.2 -> 10.0.0.1 [type 3] [code 3]");
  test("type, code range, any, inversion", () => {
    expect(verdict("-p icmp -m icmp --icmp-type destination-unreachable", env)).toBe(true);
    expect(verdict("-p icmp -m icmp --icmp-type port-unreachable", env)).toBe(true);
    expect(verdict("-p icmp -m icmp --icmp-type host-unreachable", env)).toBe(false);
    expect(verdict("-p icmp -m icmp ! --icmp-type echo-request", env)).toBe(true);
    expect(verdict("-p icmp -m icmp --icmp-type any", env)).toBe(true);
    expect(verdict("-p icmp -m icmp ! --icmp-type any", env)).toBe(false);
  });
  test("a later fragment never matches", () => {
    expect(verdict("-p icmp -m icmp ! --icmp-type 8", envOf("icmp 10.0.0.2 -> 10.0.0.1 [frag 4]"))).toBe(false);
  });
});
