import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m cpu", [
  ["-m cpu --cpu 0", "="],
  ["-m cpu ! --cpu 0", "="],
  ["-m cpu --cpu 4294967295", "="],
  ["-m cpu --cpu 0x10", "-m cpu --cpu 16"],
  ["-m cpu --cpu 4294967296", { error: "bad-value" }],
  ["-m cpu", { error: "missing-option" }],
]);
