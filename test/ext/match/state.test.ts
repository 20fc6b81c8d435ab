import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m state", [
  ["-m state --state NEW", "="],
  ["-m state --state INVALID", "="],
  ["-m state --state UNTRACKED", "="],
  ["-m state --state NEW,RELATED", "="],
  ["-m state --state RELATED,ESTABLISHED", "="],
  ["-m state --state ESTABLISHED,RELATED", "-m state --state RELATED,ESTABLISHED"],
  ["-m state --state RELATED,ESTABLISHED,UNTRACKED", "="],
  ["-m state ! --state INVALID", "="],
  ["-m state --state new", "-m state --state NEW"],
  ["-m state --state NEW,NEW", "-m state --state NEW"],
  ["-m state --state est", "-m state --state ESTABLISHED"],
  ["-m state --state n,r", "-m state --state NEW,RELATED"],
  ["-m state --state UNTRACKED,SNAT", { error: "bad-value" }],
  ["-m state --state FOO", { error: "bad-value" }],
  ["-m state --state NEWX", { error: "bad-value" }],
  ["-m state --state ,NEW", { error: "bad-value" }],
  ["-m state --state NEW,", { error: "bad-value" }],
  ["-m state --state NEW --state INVALID", { error: "duplicate-option" }],
  ["-m state wrong", { error: "bad-argument" }],
  ["-m state", { error: "missing-option" }],
]);
