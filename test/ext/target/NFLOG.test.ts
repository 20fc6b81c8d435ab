import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j NFLOG", [
  ["-j NFLOG", "="],
  ["-j NFLOG --nflog-group 1", "="],
  ["-j NFLOG --nflog-group 65535", "="],
  ["-j NFLOG --nflog-group 65536", { error: "bad-value" }],
  ["-j NFLOG --nflog-group 0", "-j NFLOG"],
  ["-j NFLOG --nflog-size 0", "="],
  ["-j NFLOG --nflog-size 4294967295", "="],
  ["-j NFLOG --nflog-size 4294967296", { error: "bad-value" }],
  ["-j NFLOG --nflog-size -1", { error: "bad-value" }],
  ["-j NFLOG --nflog-range 1 --nflog-size 2", { error: "conflicting-options" }],
  ["-j NFLOG --nflog-prefix xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "="],
  [
    "-j NFLOG --nflog-prefix yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
    "-j NFLOG --nflog-prefix yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
  ],
  ["-j NFLOG --nflog-range 5", "-j NFLOG"],
  ['-j NFLOG --nflog-prefix "a b"', "="],
  ["-j NFLOG --nflog-threshold 0", "-j NFLOG"],
  ["-j NFLOG --nflog-threshold 1", "="],
  ["-j NFLOG --nflog-threshold 65535", "="],
  ["-j NFLOG --nflog-threshold 65536", { error: "bad-value" }],
  ["-j NFLOG --nflog-threshold 3 --nflog-size 9 --nflog-group 5 --nflog-prefix p", "-j NFLOG --nflog-prefix p --nflog-group 5 --nflog-size 9 --nflog-threshold 3"],
]);
ruleCases("-j NFLOG (IPv6)", [["-j NFLOG --nflog-group 86", "="]], { family: "ipv6", table: "mangle", chain: "POSTROUTING" });

describe("-j NFLOG semantics (nflog_tg)", () => {
  test("a copy to the group, and the walk goes on", () => {
    const env = targetEnv({ table: "filter", hook: "INPUT" });
    expect(applyRule("-j NFLOG --nflog-group 5 --nflog-prefix drop --nflog-size 64", env)).toEqual({
      kind: "continue",
      note: 'NFLOG: a copy (first 64 bytes) goes to netlink log group 5 with prefix "drop" (read by ulogd, tcpdump -i nflog:5, …)',
    });
  });
});
