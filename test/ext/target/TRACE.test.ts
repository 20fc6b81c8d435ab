import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j TRACE", [["-j TRACE", "="], ["-p tcp -j TRACE", "="], ["-j TRACE --foo", { error: "unknown-option" }]], { table: "raw" });
ruleCases("-j TRACE in filter (nf_tables allows it anywhere)", [["-j TRACE", "="]], { table: "filter", chain: "FORWARD" });
