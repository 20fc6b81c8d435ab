import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m multiport", [
  ["-p tcp -m multiport --dports 80,443", "="],
  ["-p tcp -m multiport --dports 443,80,80", "="],
  ["-p tcp -m multiport ! --dports 80,1000:2000", "="],
  ["-p udp -m multiport --sports 53,1024:65535", "="],
  ["-p udp -m multiport --ports 53,1024:65535", "="],
  ["-p sctp -m multiport --dports 80", "="],
  ["-p dccp -m multiport --sports 53,1024:65535", "="],
  ["-p udplite -m multiport --dports 80", "="],
  ["-p tcp -m multiport --destination-ports 22", "-p tcp -m multiport --dports 22"],
  ["-p tcp -m multiport --source-ports 22", "-p tcp -m multiport --sports 22"],
  ["-p tcp -m multiport --dports http,ssh", "-p tcp -m multiport --dports 80,22"],
  ["-p tcp -m multiport --dports 0x50", "-p tcp -m multiport --dports 80"],
  ["-p udp -m multiport --dports bootps", "-p udp -m multiport --dports 67"],
  ["-p tcp -m multiport --dports bootps", { error: "bad-port" }],
  ["-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", "="],
  ["-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14:15", "="],
  ["-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", { error: "bad-port" }],
  ["-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16", { error: "bad-port" }],
  ["-p tcp -m multiport --sports 53,1024:65536", { error: "bad-port" }],
  ["-p tcp -m multiport --dports 5:5", { error: "bad-port" }],
  ["-p tcp -m multiport --dports 6:5", { error: "bad-port" }],
  ["-p tcp -m multiport --dports 80,", { error: "bad-port" }],
  ["-p tcp -m multiport --dports ,80", { error: "bad-port" }],
  ["-p tcp -m multiport --dports 1:", { error: "bad-port" }],
  ["-p tcp -m multiport --dports 80 --sports 1", { error: "conflicting-options" }],
  ["-p tcp -m multiport", { error: "missing-option" }],
  ["-m multiport --dports 80", { error: "missing-protocol" }],
  ["! -p tcp -m multiport --dports 80", { error: "missing-protocol" }],
  ["-p icmp -m multiport --dports 80", { error: "missing-protocol" }],
]);

describe("-m multiport semantics (multiport_mt, ports_match_v1)", () => {
  const env = envOf("tcp 10.0.0.2:40000 -> 10.0.0.1:443");
  test("lists, ranges, sides and inversion", () => {
    expect(verdict("-p tcp -m multiport --dports 80,443", env)).toBe(true);
    expect(verdict("-p tcp -m multiport --dports 80,8000:9000", env)).toBe(false);
    expect(verdict("-p tcp -m multiport ! --dports 80,8000:9000", env)).toBe(true);
    expect(verdict("-p tcp -m multiport --sports 443", env)).toBe(false);
    expect(verdict("-p tcp -m multiport --ports 30000:40000", env)).toBe(true);
    expect(verdict("-p tcp -m multiport ! --ports 443", env)).toBe(false);
  });
  test("a later fragment never matches, inverted or not", () => {
    expect(verdict("-p tcp -m multiport ! --dports 1", envOf("tcp 10.0.0.2:40000 -> 10.0.0.1:443 [frag 2]"))).toBe(false);
  });
});
