import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j LOG", [
  ["-j LOG", "="],
  ['-j LOG --log-prefix "test: "', "="],
  ["-j LOG --log-prefix DROP", "="],
  ['-j LOG --log-prefix "DROP"', "-j LOG --log-prefix DROP"],
  ['-j LOG --log-prefix "test: " --log-level 1', "="],
  ['-j LOG --log-prefix "test: " --log-level alert', '-j LOG --log-prefix "test: " --log-level 1'],
  ["-j LOG --log-level info", "-j LOG --log-level 6"],
  ["-j LOG --log-level warning", "-j LOG"],
  ["-j LOG --log-level 4", "-j LOG"],
  ["-j LOG --log-level 0x7", "-j LOG --log-level 7"],
  ["-j LOG --log-level panic", "-j LOG --log-level 0"],
  ["-j LOG --log-level 8", { error: "bad-value" }],
  ["-j LOG --log-level INFO", { error: "bad-value" }],
  ['-j LOG --log-prefix "test: " --log-level bad', { error: "bad-value" }],
  ["-j LOG --log-level 6 --log-prefix x", "-j LOG --log-prefix x --log-level 6"],
  ["-j LOG --log-uid --log-ip-options --log-tcp-options --log-tcp-sequence --log-macdecode", "-j LOG --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid --log-macdecode"],
  ["-j LOG --log-prefix abcdefghijklmnopqrstuvwxyz0123456789", "-j LOG --log-prefix abcdefghijklmnopqrstuvwxyz012"],
  ['-j LOG --log-prefix "a\\"b"', '-j LOG --log-prefix "a\\"b"'],
  ['-j LOG --log-prefix ""', { error: "bad-value" }],
  ["-j LOG --log-prefix", { error: "missing-argument" }],
]);

ruleCases("-j LOG in nat", [["-j LOG --log-level 7", "="]], { table: "nat", chain: "POSTROUTING" });
ruleCases("-j LOG (IPv6)", [["-j LOG --log-prefix v6 --log-level 3", "="]], { family: "ipv6", table: "raw" });

describe("-j LOG semantics (log_tg)", () => {
  test("logs the prefix, interfaces and header, and goes on", () => {
    const env = targetEnv({ table: "filter", hook: "INPUT" });
    const effect = applyRule('-j LOG --log-prefix "IN-DROP: " --log-level 6', env);
    expect(effect).toEqual({ kind: "continue", note: 'LOG at level 6 (info): "IN-DROP: IN=eth0 OUT= … SRC=10.0.0.2 DST=10.0.0.1 LEN=40 … PROTO=TCP SPT=40000 DPT=80 …"' });
  });
  test("ICMP shows type and code; the default level is warning", () => {
    const env = targetEnv({ table: "filter", hook: "FORWARD", outInterface: "eth1", packet: "icmp 10.0.0.2 -> 10.0.1.1 [type 8]" });
    expect(afterContinue(applyRule("-j LOG", env), env).note).toBe('LOG at level 4 (warning): "IN=eth0 OUT=eth1 … SRC=10.0.0.2 DST=10.0.1.1 LEN=28 … PROTO=ICMP TYPE=8 CODE=0 …"');
  });
});
