import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m tcpmss", [
  ["-p tcp -m tcpmss --mss 42", "="],
  ["-p tcp -m tcpmss --mss 1400:1536", "="],
  ["-p tcp -m tcpmss ! --mss 42:12345", "="],
  ["-p tcp -m tcpmss --mss 1400:", "-p tcp -m tcpmss --mss 1400:65535"],
  ["-p tcp -m tcpmss --mss :1400", "-p tcp -m tcpmss --mss 0:1400"],
  ["-p tcp -m tcpmss --mss 5:5", "-p tcp -m tcpmss --mss 5"],
  ["-p 6 -m tcpmss --mss 0x10", "-p tcp -m tcpmss --mss 16"],
  ["-m tcpmss --mss 42", { error: "bad-protocol" }],
  ["! -p tcp -m tcpmss --mss 5", { error: "bad-protocol" }],
  ["-p udp -m tcpmss --mss 5", { error: "bad-protocol" }],
  ["-p tcp -m tcpmss --mss 42:65536", { error: "bad-value" }],
  ["-p tcp -m tcpmss --mss 65535:1000", { error: "bad-value" }],
  ["-p tcp -m tcpmss", { error: "missing-option" }],
]);

describe("-m tcpmss semantics (tcpmss_mt)", () => {
  test("a header without options: the invert flag", () => {
    expect(ruleMatch("-p tcp -m tcpmss --mss 0:65535", matchEnvB())).toBe(false);
    expect(ruleMatch("-p tcp -m tcpmss ! --mss 1400:1500", matchEnvB())).toBe(true);
  });
  test("a later fragment is read as a TCP header: unknown", () => {
    expect(ruleMatch("-p tcp -m tcpmss --mss 1", matchEnvB({ packet: "tcp 10.0.0.2:1 -> 10.0.0.1:2 [frag 10]" }))).toEqual({ unknown: expect.any(String) });
  });
});
