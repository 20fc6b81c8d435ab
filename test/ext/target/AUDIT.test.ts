import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j AUDIT", [
  ["-j AUDIT --type accept", "="],
  ["-j AUDIT --type drop", "="],
  ["-j AUDIT --type reject", "="],
  ["-j AUDIT --type ACCEPT", "-j AUDIT --type accept"],
  ["-j AUDIT", { error: "missing-option" }],
  ["-j AUDIT --type wrong", { error: "bad-value" }],
]);
