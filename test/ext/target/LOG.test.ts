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
