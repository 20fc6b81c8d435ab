import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j NFQUEUE", [
  ["-j NFQUEUE", "-j NFQUEUE --queue-num 0"],
  ["-j NFQUEUE --queue-num 0", "="],
  ["-j NFQUEUE --queue-num 65535", "="],
  ["-j NFQUEUE --queue-num 65536", { error: "bad-value" }],
  ["-j NFQUEUE --queue-num -1", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance 0:65534", "="],
  ["-j NFQUEUE --queue-balance 0:65535", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance 3:3", { error: "bad-value" }],
  ["-j NFQUEUE --queue-balance 5", { error: "bad-value" }],
  ["-j NFQUEUE --queue-num 10 --queue-bypass", "="],
  ["-j NFQUEUE --queue-balance 0:6 --queue-cpu-fanout --queue-bypass", "-j NFQUEUE --queue-balance 0:6 --queue-bypass --queue-cpu-fanout"],
  ["-j NFQUEUE --queue-bypass", "-j NFQUEUE --queue-num 0 --queue-bypass"],
  ["-j NFQUEUE --queue-cpu-fanout", { error: "missing-option" }],
  ["-j NFQUEUE --queue-num 1 --queue-balance 2:3", { error: "conflicting-options" }],
]);
