import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against ip6tables-save 1.8.9 (nf_tables) with ipt-canon -6.
ruleCases(
  "-m hl",
  [
    ["-m hl --hl-eq 255", "="],
    ["-m hl --hl-eq 42", "="],
    ["-m hl ! --hl-eq 1", "="],
    ["-m hl --hl-lt 42", "="],
    ["-m hl --hl-gt 42", "="],
    ["-m hl --hl 1", "-m hl --hl-eq 1"],
    ["-m hl ! --hl-gt 42", { error: "bad-negation" }],
    ["-m hl --hl-gt 42 --hl-eq 42", { error: "conflicting-options" }],
    ["-m hl --hl-gt", { error: "missing-argument" }],
    ["-m hl --hl-eq 256", { error: "bad-value" }],
    ["-m hl", { error: "missing-option" }],
  ],
  { family: "ipv6" },
);
