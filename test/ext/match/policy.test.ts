import { describe, expect, test } from "vitest";
import { localEnvB, matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m policy", [
  ["-m policy --dir in --pol ipsec", "="],
  ["-m policy --dir in", "-m policy --dir in --pol ipsec"],
  ["-m policy --dir in --pol none", "="],
  ["-m policy --dir in --pol none --reqid 1", "-m policy --dir in --pol none"],
  ["-m policy --dir in --pol ipsec --proto ipcomp", "="],
  ["-m policy --dir in --pol ipsec --proto 108", "-m policy --dir in --pol ipsec --proto ipcomp"],
  ["-m policy --dir in --pol ipsec --proto IPCOMP", "-m policy --dir in --pol ipsec --proto ipcomp"],
  ["-m policy --dir in --pol ipsec --proto 50", "-m policy --dir in --pol ipsec --proto esp"],
  ["-m policy --dir in --pol ipsec --strict --reqid 1 --spi 0x1 --proto ipcomp", "="],
  [
    "-m policy --dir in --pol ipsec --strict --reqid 1 --spi 16 --proto esp --mode tunnel --tunnel-dst 10.1.2.3/8 --tunnel-src 10.0.0.1 --next --reqid 2",
    "-m policy --dir in --pol ipsec --strict --reqid 1 --spi 0x10 --proto esp --mode tunnel --tunnel-dst 10.1.2.3/8 --tunnel-src 10.0.0.1 --next --reqid 2",
  ],
  ["-m policy --dir in --pol ipsec ! --reqid 3 ! --spi 4 ! --proto ah ! --mode transport", "-m policy --dir in --pol ipsec ! --reqid 3 ! --spi 0x4 ! --proto ah ! --mode transport"],
  ["-m policy --dir in --pol ipsec --mode tunnel ! --tunnel-src 10.0.0.0/255.0.255.0", "-m policy --dir in --pol ipsec --mode tunnel ! --tunnel-src 10.0.0.0"],
  ["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0/33", "-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0"],
  ["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0/0", "="],
  ["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.1/0x10", "-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.1/16"],
  ["-m policy --dir in --pol ipsec ! --mode transport --tunnel-src 10.0.0.0/8", "="],
  ["-m policy --dir in --pol ipsec --strict --reqid 1 --next --reqid 2 --next --reqid 3 --next --reqid 4", "="],
  ["-m policy --dir in --pol ipsec --strict --mode tunnel --next --proto esp", "="],
  ["-m policy --dir in --pol ipsec --reqid 4294967295 --spi 4294967295", "-m policy --dir in --pol ipsec --reqid 4294967295 --spi 0xffffffff"],
  ["-m policy --dir in --pol ipsec --proto tcp", { error: "bad-value" }],
  ["-m policy --dir in --pol ipsec --proto AH", { error: "unknown-protocol" }],
  ["-m policy --dir in --pol ipsec --strict", { error: "missing-option" }],
  ["-m policy --dir in --pol ipsec --strict --reqid 1 --next", { error: "missing-option" }],
  ["-m policy --dir in --pol ipsec --strict --reqid 1 --spi 0x1 --proto esp --tunnel-dst 10.0.0.0/8", { error: "missing-option" }],
  ["-m policy --dir in --pol ipsec ! --mode tunnel --tunnel-src 10.0.0.0/8", { error: "missing-option" }],
  ["-m policy --pol ipsec", { error: "missing-option" }],
  ["-m policy --dir in --pol none --strict", { error: "conflicting-options" }],
  ["-m policy --dir in --pol ipsec --reqid 1 --reqid 2", { error: "duplicate-option" }],
  ["-m policy --dir in --pol ipsec --next --reqid 2", { error: "missing-option" }],
  ["-m policy --dir in --pol ipsec --strict --reqid 1 --next --reqid 2 --next --reqid 3 --next --reqid 4 --next --reqid 5", { error: "bad-value" }],
  ["-m policy --dir IN --pol ipsec", { error: "bad-value" }],
  ["-m policy --dir in --pol foo", { error: "bad-value" }],
  ["-m policy --dir in --pol ipsec --mode bar", { error: "bad-value" }],
  ["-m policy --dir in --dir out --pol ipsec", { error: "duplicate-option" }],
  ["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src host.example", { error: "bad-address" }],
  ["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0/foo", { error: "bad-value" }],
  ["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0/", { error: "bad-value" }],
  ["-m policy --dir out --pol ipsec", { error: "bad-hook" }],
]);

ruleCases(
  "-m policy in OUTPUT",
  [
    ["-m policy --dir out --pol none", "="],
    ["-m policy --dir in --pol ipsec", { error: "bad-hook" }],
  ],
  { chain: "OUTPUT" },
);

ruleCases(
  "-m policy in FORWARD",
  [
    ["-m policy --dir out --pol ipsec", "="],
    ["-m policy --dir in --pol ipsec", "="],
  ],
  { chain: "FORWARD" },
);

ruleCases(
  "-m policy (IPv6)",
  [["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 2001:db8::1/64 --tunnel-dst ::1", "-m policy --dir in --pol ipsec --mode tunnel --tunnel-dst ::1 --tunnel-src 2001:db8::1/64"]],
  { family: "ipv6" },
);

ruleCases("-m policy tunnel masks", [["-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0/255.255.0.0", "-m policy --dir in --pol ipsec --mode tunnel --tunnel-src 10.0.0.0/16"]]);

describe("-m policy semantics (policy_mt)", () => {
  test("no IPsec: --pol none matches, --pol ipsec does not, elements or not", () => {
    expect(ruleMatch("-m policy --dir in --pol none", matchEnvB())).toBe(true);
    expect(ruleMatch("-m policy --dir in --pol ipsec", matchEnvB())).toBe(false);
    expect(ruleMatch("-m policy --dir out --pol ipsec --strict --proto esp --mode tunnel --tunnel-dst 10.0.0.1", localEnvB())).toBe(false);
    expect(ruleMatch("-m policy --dir out --pol none", localEnvB())).toBe(true);
  });
});
