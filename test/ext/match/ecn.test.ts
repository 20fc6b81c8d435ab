import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m ecn", [
  ["-m ecn --ecn-ip-ect 1", "="],
  ["-m ecn ! --ecn-ip-ect 3", "="],
  ["-p tcp -m ecn ! --ecn-tcp-ece --ecn-tcp-cwr", "="],
  ["-p tcp -m ecn --ecn-ip-ect 2 --ecn-tcp-ece", "-p tcp -m ecn --ecn-tcp-ece --ecn-ip-ect 2"],
  ["-m ecn --ecn-tcp-cwr", { error: "missing-protocol" }],
  ["-m ecn --ecn-ip-ect 4", { error: "bad-value" }],
  ["-m ecn", { error: "missing-option" }],
]);

describe("-m ecn semantics (ecn_mt4)", () => {
  test("the IP ECN codepoint", () => {
    const env = envOf("udp 10.0.0.2:1 -> 10.0.0.1:2 [tos 0x03]");
    expect(verdict("-m ecn --ecn-ip-ect 3", env)).toBe(true);
    expect(verdict("-m ecn ! --ecn-ip-ect 3", env)).toBe(false);
  });
  test("the TCP ECE and CWR flags, each inverted on its own", () => {
    const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags SYN,ECE,CWR]");
    expect(verdict("-p tcp -m ecn --ecn-tcp-ece --ecn-tcp-cwr", env)).toBe(true);
    expect(verdict("-p tcp -m ecn ! --ecn-tcp-ece", env)).toBe(false);
    expect(verdict("-p tcp -m ecn ! --ecn-tcp-cwr", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2"))).toBe(true);
  });
});
