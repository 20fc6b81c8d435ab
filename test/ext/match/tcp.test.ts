import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m tcp", [
  ["-p tcp -m tcp --sport 1", "="],
  ["-p tcp -m tcp --sport 1024:", "-p tcp -m tcp --sport 1024:65535"],
  ["-p tcp -m tcp --sport :1023", "-p tcp -m tcp --sport 0:1023"],
  ["-p tcp -m tcp --sport 0:65535", "-p tcp -m tcp"],
  ["-p tcp -m tcp ! --dport 80", "="],
  ["-p tcp --dport http", "-p tcp -m tcp --dport 80"],
  ["-p tcp --destination-port 22:25", "-p tcp -m tcp --dport 22:25"],
  ["-p tcp --dport www:ssh", { error: "bad-port" }],
  ["-p tcp --dport 65536", { error: "bad-port" }],
  ["-p tcp --syn", "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["-p tcp ! --syn", "-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["-p tcp --tcp-flags ALL NONE", "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE"],
  ["-p tcp --tcp-flags syn,ack SYN,ACK", "-p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK"],
  ["-p tcp --tcp-flags SYN,ECE SYN", { error: "bad-value" }],
  ["-p tcp --tcp-flags SYN,BOGUS SYN", { error: "bad-value" }],
  ["-p tcp --tcp-option 2", "-p tcp -m tcp --tcp-option 2"],
  ["-p tcp --tcp-option 0", { error: "bad-value" }],
  ["-p tcp --dport 80 --sport 1", "-p tcp -m tcp --sport 1 --dport 80"],
  ["-p tcp --dprot 80", { error: "unknown-option" }],
  ["-p 6 --dport 80", "-p tcp -m tcp --dport 80"],
  // iptables-nft reads repeated tcp matches back as one, wherever they stand.
  ["-p tcp -m tcp --dport 2 -m comment --comment x -m tcp --sport 1", "-p tcp -m tcp --sport 1 --dport 2 -m comment --comment x"],
  ["-p tcp -m tcp --syn -m tcp --dport 2", "-p tcp -m tcp --dport 2 --tcp-flags FIN,SYN,RST,ACK SYN"],
  // Ports alone become nf_tables comparisons (add_nft_tcp), reshaped as udp's are.
  ["-p tcp -m tcp ! --dport 0:100", "-p tcp -m tcp --dport 101:65535"],
  ["-p tcp -m tcp ! --sport 0:65535", "-p tcp"],
  ["-p tcp -m tcp ! --sport : --dport 80", "-p tcp -m tcp --dport 80"],
  ["! -p tcp -m tcp ! --sport :", "! -p tcp"],
  ["! -p tcp -m tcp --dport 1", "="],
  // Flags are compared natively too; only --tcp-option keeps the xtables match.
  ["-p tcp -m tcp ! --sport 0:65535 --syn", "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["-p tcp -m tcp ! --dport 0:21 --syn", "-p tcp -m tcp --dport 22:65535 --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["-p tcp -m tcp ! --dport 0:65535 --tcp-option 2", "-p tcp -m tcp --tcp-option 2"],
  ["! -p tcp -m tcp --syn", "! -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["! -p tcp -m tcp --tcp-option 2", { error: "missing-protocol" }],
  ["! -p tcp -m tcp --dport 0:65535", { error: "missing-protocol" }],
  ["-m tcp --dport 1", { error: "missing-protocol" }],
  ["-m tcp", { error: "missing-protocol" }],
  ["! -p tcp -m tcp", { error: "missing-protocol" }],
  ["-p tcp -m tcp", "="],
  ["-p udp -m tcp --dport 1", { error: "missing-protocol" }],
  ["-m tcp --syn", { error: "missing-protocol" }],
]);

describe("-m tcp semantics", () => {
  const env = envOf("tcp 10.0.0.2:5353 -> 10.0.0.1:22");
  test("a negated full range makes no comparison: alone, every packet matches, later fragments too", () => {
    expect(verdict("-p tcp -m tcp ! --sport 0:65535", env)).toBe(true);
    expect(verdict("-p tcp -m tcp ! --sport 0:65535", envOf("tcp 10.0.0.2:5353 -> 10.0.0.1:22 [frag 1]"))).toBe(true);
    expect(verdict("-p tcp -m tcp ! --sport 0:65535 --tcp-flags SYN SYN", env)).toBe(true);
    expect(verdict("-p tcp -m tcp ! --sport 0:65535 --tcp-flags SYN NONE", env)).toBe(false);
  });
  test("a negated 0:hi is above hi", () => {
    expect(verdict("-p tcp -m tcp ! --dport 0:21", env)).toBe(true);
    expect(verdict("-p tcp -m tcp ! --dport 0:22", env)).toBe(false);
  });
});
