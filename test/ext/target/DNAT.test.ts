import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j DNAT",
  [
    ["-j DNAT --to-destination 1.1.1.1", "="],
    ["-j DNAT --to 1.1.1.1", "-j DNAT --to-destination 1.1.1.1"],
    ["-j DNAT --to-destination 1.1.1.1-1.1.1.10", "="],
    ["-j DNAT --to-destination 1.1.1.1-1.1.1.1", "-j DNAT --to-destination 1.1.1.1"],
    ["-j DNAT --to-destination 1.1.1.1:1025-65535", { error: "missing-protocol" }],
    ["-j DNAT --to-destination 1.1.1.1 --to-destination 2.2.2.2", { error: "duplicate-option" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:1025-65535", "="],
    ["-p udp -j DNAT --to-destination 10.0.0.1:53", "="],
    ["-p icmp -j DNAT --to-destination 10.0.0.1:53", "="],
    ["! -p tcp -j DNAT --to-destination 10.0.0.1:53", "="],
    ["-p tcp -j DNAT --to-destination :8080", "="],
    ["-p tcp -j DNAT --to-destination 1.1.1.1-1.1.1.10:1025-65535", "="],
    ["-p tcp -j DNAT --to-destination 1.1.1.1-1.1.1.10:1025-65536", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:1000-2000/1000", "="],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:1000-2000/65535", "="],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:1000-2000/0", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:1000-2000/65536", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:1000-2000/ftp", "-p tcp -j DNAT --to-destination 1.1.1.1:1000-2000/21"],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:ssh", "-p tcp -j DNAT --to-destination 1.1.1.1:22"],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:ftp-data", "-p tcp -j DNAT --to-destination 1.1.1.1:20"],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:echo-ssh", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:10-ssh", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:80:90", { error: "bad-address" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:90-80", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:80x", { error: "bad-port" }],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:0x50", "-p tcp -j DNAT --to-destination 1.1.1.1:80"],
    ["-p tcp -j DNAT --to-destination 1.1.1.1:80-80", "-p tcp -j DNAT --to-destination 1.1.1.1:80"],
    ["-j DNAT --to-destination 1.1.1.1 --random --persistent", "="],
    ["-j DNAT --persistent --random --to-destination 1.1.1.1", "-j DNAT --to-destination 1.1.1.1 --random --persistent"],
    ["-j DNAT --to-destination 1.1.1.1 --random-fully", { error: "unknown-option" }],
    ["-j DNAT --to-destination [1.1.1.1]:80", { error: "bad-address" }],
    ["-j DNAT --to-destination 1.1.1", { error: "bad-address" }],
    ["-j DNAT --to-destination host.example", { error: "bad-address" }],
    ["-j DNAT", { error: "missing-option" }],
    ["-j DNAT --random", { error: "missing-option" }],
  ],
  { table: "nat" },
);

ruleCases("-j DNAT refused outside nat PREROUTING and OUTPUT", [["-j DNAT --to-destination 1.1.1.1", { error: "bad-hook" }]], { table: "nat", chain: "POSTROUTING" });
ruleCases("-j DNAT in OUTPUT", [["-j DNAT --to-destination 1.1.1.1", "="]], { table: "nat", chain: "OUTPUT" });
ruleCases("-j DNAT refused outside nat", [["-j DNAT --to-destination 1.1.1.1", { error: "bad-table" }]], { table: "mangle" });

ruleCases(
  "-j DNAT (IPv6)",
  [
    ["-j DNAT --to-destination dead::beef", "="],
    ["-j DNAT --to-destination dead::beef-dead::fee7", "="],
    ["-j DNAT --to-destination [dead::beef]", "-j DNAT --to-destination dead::beef"],
    ["-j DNAT --to-destination [dead::beef]:1025-65535", { error: "missing-protocol" }],
    ["-p tcp -j DNAT --to-destination [dead::beef]:1025-65535", "="],
    ["-p tcp -j DNAT --to-destination [dead::beef-dead::fee7]:1025-65535", "="],
    ["-p tcp -j DNAT --to-destination [dead::beef-dead::fee7]:1000-2000/3000", "="],
    ["-p tcp -j DNAT --to-destination [dead::beef]:ssh", "-p tcp -j DNAT --to-destination [dead::beef]:22"],
    ["-p tcp -j DNAT --to-destination [0:0:0:0:0:0:0:1]:80", "-p tcp -j DNAT --to-destination [::1]:80"],
    ["-p tcp -j DNAT --to-destination []:80", "-p tcp -j DNAT --to-destination :80"],
    ["-j DNAT --to-destination [dead::beef", { error: "bad-address" }],
    ["-j DNAT --to-destination 1.1.1.1", { error: "bad-address" }],
  ],
  { table: "nat", family: "ipv6" },
);
