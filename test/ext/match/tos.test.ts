import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m tos",
  [
    ["-m tos --tos 0x10", "-m tos --tos 0x10/0xff"],
    ["-m tos ! --tos 0x10/0x3f", "="],
    ["-m tos --tos Minimize-Delay", "-m tos --tos 0x10/0x3f"],
    ["-m tos --tos normal-service", "-m tos --tos 0x00/0x3f"],
    ["-m tos --tos 16", "-m tos --tos 0x10/0xff"],
    ["-m tos --tos 0/0", "-m tos --tos 0x00/0x00"],
    ["-m tos --tos 0x100", { error: "bad-value" }],
    ["-m tos --tos 0x10/0x100", { error: "bad-value" }],
  ],
  { table: "mangle" },
);

describe("-m tos semantics (tos_mt)", () => {
  test("the TOS byte under the mask, and inversion", () => {
    const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [tos 0x12]");
    expect(verdict("-m tos --tos 0x12", env)).toBe(true);
    // Minimize-Delay is 0x10 under 0x3f: the Minimize-Cost bit of 0x12 makes it differ.
    expect(verdict("-m tos --tos Minimize-Delay", env)).toBe(false);
    expect(verdict("-m tos --tos 0x10", env)).toBe(false);
    expect(verdict("-m tos ! --tos 0x10", env)).toBe(true);
    expect(verdict("-m tos --tos 0/0", env)).toBe(true);
  });
  test("IPv6: the traffic class", () => {
    expect(verdict("-m tos --tos 0xb8", envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2 [tos 0xb8]"))).toBe(true);
  });
});
