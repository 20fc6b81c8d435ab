import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j NETMAP",
  [
    ["-j NETMAP --to 1.2.3.0/24", "="],
    ["-j NETMAP --to 1.2.3.4", "-j NETMAP --to 1.2.3.4/32"],
    ["-j NETMAP --to 1.2.3.4/16", "-j NETMAP --to 1.2.0.0/16"],
    ["-j NETMAP --to 1.2.3.4/0", "-j NETMAP --to 0.0.0.0/0"],
    ["-j NETMAP --to 1.2.3.4/255.255.0.0", "-j NETMAP --to 1.2.0.0/16"],
    ["-j NETMAP --to 1.2.3.4/255.255.0.255", "-j NETMAP --to 1.2.3.4/32"],
    ["-j NETMAP --to 1.2.3.4/33", "-j NETMAP --to 1.2.3.4/32"],
    ["-j NETMAP --to 1.2.3.4/abc", { error: "bad-address" }],
    ["-j NETMAP --to 1.2.3.4/", { error: "bad-address" }],
    ["-j NETMAP", { error: "missing-option" }],
  ],
  { table: "nat" },
);
ruleCases("-j NETMAP in POSTROUTING", [["-j NETMAP --to 10.0.0.0/8", "="]], { table: "nat", chain: "POSTROUTING" });
ruleCases("-j NETMAP outside nat", [["-j NETMAP --to 10.0.0.0/8", { error: "bad-table" }]], { table: "mangle" });
ruleCases(
  "-j NETMAP (IPv6)",
  [
    ["-j NETMAP --to dead::/64", "="],
    ["-j NETMAP --to dead::beef", "-j NETMAP --to dead::beef/128"],
    ["-j NETMAP --to dead::beef/64", "-j NETMAP --to dead::/64"],
  ],
  { table: "nat", chain: "INPUT", family: "ipv6" },
);
