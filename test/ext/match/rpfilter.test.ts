import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m rpfilter",
  [
    ["-m rpfilter", "="],
    ["-m rpfilter --invert", "="],
    ["-m rpfilter --loose --validmark --accept-local --invert", "="],
    ["-m rpfilter --invert --loose", "-m rpfilter --loose --invert"],
    ["-m rpfilter ! --loose", { error: "bad-negation" }],
  ],
  { table: "mangle" },
);
ruleCases("-m rpfilter in raw", [["-m rpfilter", "="]], { table: "raw" });
ruleCases("-m rpfilter in filter", [["-m rpfilter", { error: "bad-table" }]]);
ruleCases("-m rpfilter in mangle INPUT", [["-m rpfilter", { error: "bad-hook" }]], { table: "mangle", chain: "INPUT" });
ruleCases("-m rpfilter in mangle FORWARD", [["-m rpfilter", { error: "bad-hook" }]], { table: "mangle", chain: "FORWARD" });
