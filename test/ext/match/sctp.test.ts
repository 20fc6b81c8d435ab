import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m sctp", [
  ["-p sctp -m sctp --dport 1:2 ! --sport 5", "-p sctp -m sctp ! --sport 5 --dport 1:2"],
  ["-p sctp -m sctp ! --dport 0:65535", "="],
  ["-p sctp -m sctp --dport :10", "-p sctp -m sctp --dport 0:10"],
  ["-p sctp -m sctp --dport 0x10", "-p sctp -m sctp --dport 16"],
  ["-p sctp -m sctp --dport http", { error: "bad-port" }],
  ["-p sctp -m sctp --dport 10:5", { error: "bad-port" }],
  ["-p sctp -m sctp ! --chunk-types all DATA:Be", "="],
  ["-p sctp -m sctp --chunk-types only init", "-p sctp -m sctp --chunk-types only INIT"],
  ["-p sctp -m sctp --chunk-types ANY none", "-p sctp -m sctp --chunk-types any NONE"],
  ["-p sctp -m sctp --chunk-types any all", "-p sctp -m sctp --chunk-types any ALL"],
  ["-p sctp -m sctp --chunk-types any ASCONF,ASCONF_ACK,FORWARD_TSN", "-p sctp -m sctp --chunk-types any ASCONF_ACK,FORWARD_TSN,ASCONF"],
  // libxt_sctp files flags under the name's table index: I_DATA's are lost.
  ["-p sctp -m sctp --chunk-types any I_DATA:I", "-p sctp -m sctp --chunk-types any I_DATA"],
  ["-p sctp -m sctp --chunk-types any DATA:i,DATA:B", "-p sctp -m sctp --chunk-types any DATA:iB"],
  ["-p sctp -m sctp --chunk-types any INIT:x", { error: "bad-value" }],
  ["-p sctp -m sctp --chunk-types any INIT,ALL", { error: "bad-value" }],
  ["-p tcp -m sctp --dport 1", { error: "missing-protocol" }],
]);

describe("-m sctp semantics (sctp_mt)", () => {
  const env = envOf("sctp 10.0.0.2:5000 -> 10.0.0.1:38412");
  test("ports and their inversion", () => {
    expect(verdict("-p sctp -m sctp --dport 38412", env)).toBe(true);
    expect(verdict("-p sctp -m sctp ! --dport 38412", env)).toBe(false);
    expect(verdict("-p sctp -m sctp --sport 1:4999", env)).toBe(false);
    expect(verdict("-p sctp -m sctp ! --sport 1:4999 --dport 38412", env)).toBe(true);
  });
  test("chunk types are not described: unknown, unless a port already failed", () => {
    expect(verdict("-p sctp -m sctp --chunk-types any INIT", env)).toBe("unknown");
    expect(verdict("-p sctp -m sctp --dport 1 --chunk-types any INIT", env)).toBe(false);
  });
  test("a later fragment never matches", () => {
    expect(verdict("-p sctp -m sctp", envOf("sctp 10.0.0.2:5000 -> 10.0.0.1:38412 [frag 10]"))).toBe(false);
  });
});
