import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

const name = (n: number) => "x".repeat(n);

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m hashlimit", [
  ["-m hashlimit --hashlimit-above 20/sec --hashlimit-burst 14497 --hashlimit-mode srcip --hashlimit-name newconnections --hashlimit-htable-expire 31991", "="],
  ["-m hashlimit --hashlimit-above 125/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name limit-icmp-src-", "="],
  ["-m hashlimit --hashlimit-above 1/day --hashlimit-burst 1 --hashlimit-name mini1", "="],
  ["-m hashlimit --hashlimit-upto 1000000/sec --hashlimit-burst 5 --hashlimit-name mini1", "="],
  ["-m hashlimit --hashlimit-upto 1/sec --hashlimit-burst 1 --hashlimit-name mini1 --hashlimit-htable-expire 2000", "="],
  [
    "-m hashlimit --hashlimit-upto 1/sec --hashlimit-burst 1 --hashlimit-mode dstip --hashlimit-name mini1 --hashlimit-htable-max 2000 --hashlimit-htable-gcinterval 60000 --hashlimit-htable-expire 2000",
    "=",
  ],
  ["-m hashlimit --hashlimit 5/sec --hashlimit-name x", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x"],
  ["-m hashlimit --hashlimit-upto 5/min --hashlimit-name x --hashlimit-htable-expire 60000", "-m hashlimit --hashlimit-upto 5/min --hashlimit-burst 5 --hashlimit-name x"],
  [
    "-m hashlimit --hashlimit-upto 5/hour --hashlimit-name x --hashlimit-htable-expire 60000",
    "-m hashlimit --hashlimit-upto 5/hour --hashlimit-burst 5 --hashlimit-name x --hashlimit-htable-expire 60000",
  ],
  ["-m hashlimit --hashlimit-upto 7/min --hashlimit-name x", "-m hashlimit --hashlimit-upto 7/min --hashlimit-burst 5 --hashlimit-name x"],
  ["-m hashlimit --hashlimit-upto 5/s --hashlimit-name x", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x"],
  ["-m hashlimit ! --hashlimit-upto 5 --hashlimit-name x", "-m hashlimit --hashlimit-above 5/sec --hashlimit-burst 5 --hashlimit-name x"],
  ["-m hashlimit ! --hashlimit-above 5 --hashlimit-name x", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x"],
  [
    "-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-mode dstport,srcip|dstip,srcport",
    "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-mode srcip,srcport,dstip,dstport --hashlimit-name x",
  ],
  [
    "-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-srcmask 24 --hashlimit-dstmask 32",
    "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x --hashlimit-srcmask 24",
  ],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-srcmask 255.255.255.0", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x --hashlimit-srcmask 24"],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-srcmask 0", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x --hashlimit-srcmask 0"],
  [
    "-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-htable-size 100 --hashlimit-htable-max 200 --hashlimit-htable-gcinterval 1000",
    "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x --hashlimit-htable-size 100 --hashlimit-htable-max 200",
  ],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-burst 5k", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5120 --hashlimit-name x"],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-burst 5x", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x"],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-burst 1000000", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 1000000 --hashlimit-name x"],
  ["-m hashlimit --hashlimit-upto 1/hour --hashlimit-name x --hashlimit-burst 37", "-m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 37 --hashlimit-name x"],
  ["-m hashlimit --hashlimit-upto 4kb/s --hashlimit-burst 400kb --hashlimit-name m", "="],
  ["-m hashlimit --hashlimit-upto 10mb/s --hashlimit-name m", "="],
  ["-m hashlimit --hashlimit-upto 123456b/s --hashlimit-burst 1mb --hashlimit-name m", "="],
  ["-m hashlimit --hashlimit-upto 1000b/s --hashlimit-name m", "-m hashlimit --hashlimit-upto 992b/s --hashlimit-name m"],
  ["-m hashlimit --hashlimit-upto 1000b/s --hashlimit-burst 100000 --hashlimit-name m", "-m hashlimit --hashlimit-upto 992b/s --hashlimit-burst 97kb --hashlimit-name m"],
  [
    "-m hashlimit --hashlimit-upto 1000b/s --hashlimit-burst 100000 --hashlimit-name m --hashlimit-htable-expire 15000",
    "-m hashlimit --hashlimit-upto 992b/s --hashlimit-burst 97kb --hashlimit-name m --hashlimit-htable-expire 15000",
  ],
  ["-m hashlimit --hashlimit-upto 40/sec --hashlimit-burst 20 --hashlimit-name r --hashlimit-rate-match", "="],
  [
    "-m hashlimit --hashlimit-upto 40/min --hashlimit-name r --hashlimit-rate-match",
    "-m hashlimit --hashlimit-upto 40/sec --hashlimit-burst 5 --hashlimit-name r --hashlimit-htable-expire 60000 --hashlimit-rate-match --hashlimit-rate-interval 60",
  ],
  ["-m hashlimit --hashlimit-upto 40mb/s --hashlimit-name r --hashlimit-rate-match", "="],
  ["-m hashlimit --hashlimit-upto 40mb/s --hashlimit-mode srcip --hashlimit-name rate4 --hashlimit-rate-match --hashlimit-rate-interval 10", "="],
  [
    "-m hashlimit --hashlimit-upto 40/sec --hashlimit-name r --hashlimit-rate-match --hashlimit-rate-interval 1",
    "-m hashlimit --hashlimit-upto 40/sec --hashlimit-burst 5 --hashlimit-name r --hashlimit-rate-match",
  ],
  [`-m hashlimit --hashlimit-upto 5 --hashlimit-name ${name(32)}`, `-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name ${name(32)}`],
  [`-m hashlimit --hashlimit-upto 5 --hashlimit-name ${name(256)}`, `-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name ${name(254)}`],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-mode foo", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-srcmask 33", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-htable-gcinterval 0", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-htable-expire 0", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-burst 1000001", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-burst 0", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-burst 2m", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 1/hour --hashlimit-name x --hashlimit-burst 38", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 1/day --hashlimit-name x --hashlimit-burst 2", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 1000001/sec --hashlimit-name x", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5/x --hashlimit-name x", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 0 --hashlimit-name x", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 96b/s --hashlimit-burst 5 --hashlimit-name m", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 40/sec --hashlimit-name r --hashlimit-rate-interval 10", { error: "missing-option" }],
  ["-m hashlimit --hashlimit-upto 40/sec --hashlimit-name r --hashlimit-rate-match --hashlimit-rate-interval 0", { error: "bad-value" }],
  ["-m hashlimit --hashlimit-upto 5 --hashlimit-above 5 --hashlimit-name x", { error: "conflicting-options" }],
  ["-m hashlimit --hashlimit-upto 5", { error: "missing-option" }],
  ["-m hashlimit --hashlimit-name x", { error: "missing-option" }],
  ['-m hashlimit --hashlimit-upto 5 --hashlimit-name ""', { error: "bad-value" }],
]);

ruleCases(
  "-m hashlimit (IPv6)",
  [
    ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-srcmask 64", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x --hashlimit-srcmask 64"],
    ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-dstmask 128", "-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name x"],
    ["-m hashlimit --hashlimit-upto 5 --hashlimit-name x --hashlimit-dstmask 129", { error: "bad-value" }],
  ],
  { family: "ipv6" },
);

describe("-m hashlimit semantics", () => {
  test("unknown, naming the table", () => {
    const r = ruleMatch("-m hashlimit --hashlimit-upto 1/sec --hashlimit-mode srcip --hashlimit-name ssh", matchEnvB());
    expect(r).toEqual({ unknown: expect.stringContaining("--hashlimit-name ssh") });
  });
});
