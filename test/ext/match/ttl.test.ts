import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m ttl", [
  ["-m ttl --ttl-eq 5", "="],
  ["-m ttl ! --ttl-eq 5", "="],
  ["-m ttl --ttl-lt 5", "="],
  ["-m ttl --ttl-gt 255", "="],
  ["-m ttl --ttl 5", "-m ttl --ttl-eq 5"],
  ["-m ttl --ttl-gt 0x10", "-m ttl --ttl-gt 16"],
  ["-m ttl ! --ttl-lt 5", { error: "bad-negation" }],
  ["-m ttl ! --ttl 5", "-m ttl ! --ttl-eq 5"],
  ["-m ttl --ttl-gt 256", { error: "bad-value" }],
  ["-m ttl --ttl-gt 1 --ttl-eq 2", { error: "conflicting-options" }],
  ["-m ttl --ttl 1 --ttl-eq 2", { error: "duplicate-option" }],
  ["-m ttl", { error: "missing-option" }],
]);
