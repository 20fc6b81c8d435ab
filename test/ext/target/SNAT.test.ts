import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j SNAT",
  [
    ["-j SNAT --to-source 1.1.1.1", "="],
    ["-j SNAT --to 1.1.1.1", "-j SNAT --to-source 1.1.1.1"],
    ["-j SNAT --to-source 1.1.1.1-1.1.1.10", "="],
    ["-j SNAT --to-source 1.1.1.1:1025-65535", { error: "missing-protocol" }],
    ["-j SNAT --to-source 1.1.1.1 --to-source 2.2.2.2", { error: "duplicate-option" }],
    ["-j SNAT --to-source 1.1.1.1 --random", "="],
    ["-j SNAT --to-source 1.1.1.1 --random-fully", "="],
    ["-j SNAT --to-source 1.1.1.1 --persistent", "="],
    ["-j SNAT --persistent --random-fully --random --to-source 1.1.1.1", "-j SNAT --to-source 1.1.1.1 --random --random-fully --persistent"],
    ["-p tcp -j SNAT --to-source 1.1.1.1:1025-65535", "="],
    ["-p udp -j SNAT --to-source 1.1.1.1-1.1.1.10:1025-65535", "="],
    ["-p tcp -j SNAT --to-source 1.1.1.1-1.1.1.10:1025-65536", { error: "bad-port" }],
    ["-p tcp -j SNAT --to-source 1.1.1.1:1000-2000/1000", "-p tcp -j SNAT --to-source 1.1.1.1:1000-2000/0"],
    ["-p tcp -j SNAT --to-source 1.1.1.1:1000-2000/0", { error: "bad-port" }],
    ["-p tcp -j SNAT --to-source 1.1.1.1:1000/5", { error: "bad-port" }],
    ["-j SNAT --to-source 1.2.3.5-1.2.3.4", "="],
    ["-j SNAT", { error: "missing-option" }],
  ],
  { table: "nat", chain: "POSTROUTING" },
);

ruleCases("-j SNAT in INPUT", [["-j SNAT --to-source 1.1.1.1", "="]], { table: "nat", chain: "INPUT" });
ruleCases("-j SNAT refused in PREROUTING", [["-j SNAT --to-source 1.1.1.1", { error: "bad-hook" }]], { table: "nat", chain: "PREROUTING" });

ruleCases(
  "-j SNAT (IPv6)",
  [
    ["-j SNAT --to-source dead::beef", "="],
    ["-j SNAT --to-source dead::beef-dead::fee7 --random", "="],
    ["-p tcp -j SNAT --to-source [dead::beef]:1025-65535", "="],
    ["-j SNAT --to-source [dead::beef]:1025-65535", { error: "missing-protocol" }],
    ["-p tcp -j SNAT --to-source [::1]:1000-2000/5", "-p tcp -j SNAT --to-source [::1]:1000-2000/0"],
    ["-p tcp -j SNAT --to-source ::1:80", "-p tcp -j SNAT --to-source ::0.1.0.128"],
  ],
  { table: "nat", chain: "POSTROUTING", family: "ipv6" },
);
