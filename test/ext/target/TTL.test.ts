import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j TTL",
  [
    ["-j TTL --ttl-set 42", "="],
    ["-j TTL --ttl-inc 1", "="],
    ["-j TTL --ttl-dec 1", "="],
    ["-j TTL --ttl-set 0", "="],
    ["-j TTL --ttl-set 0x40", "-j TTL --ttl-set 64"],
    ["-j TTL --ttl-set 256", { error: "bad-value" }],
    ["-j TTL --ttl-inc 0", { error: "bad-value" }],
    ["-j TTL --ttl-dec 0", { error: "bad-value" }],
    ["-j TTL --ttl-dec 1 --ttl-inc 1", { error: "conflicting-options" }],
    ["-j TTL", { error: "missing-option" }],
  ],
  { table: "mangle", chain: "POSTROUTING" },
);
ruleCases("-j TTL outside mangle", [["-j TTL --ttl-set 1", { error: "bad-table" }]], { table: "filter" });
