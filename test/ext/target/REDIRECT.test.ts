import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
const cases = [
  ["-j REDIRECT", "="],
  ["-p tcp -j REDIRECT --to-ports 42", "="],
  ["-p tcp -j REDIRECT --to-ports 0", "="],
  ["-p tcp -j REDIRECT --to-ports 65535", "="],
  ["-p tcp -j REDIRECT --to-ports 65536", { error: "bad-port" }],
  ["-p udp -j REDIRECT --to-ports 0-0", "-p udp -j REDIRECT --to-ports 0"],
  ["-p udp -j REDIRECT --to-ports 42-1234", "="],
  ["-p tcp -j REDIRECT --to-ports 42-1234 --random", "="],
  ["-p tcp -j REDIRECT --to-ports 42-1234/567", { error: "bad-value" }],
  ["-p tcp -j REDIRECT --to-ports ssh", "-p tcp -j REDIRECT --to-ports 22"],
  ["-p tcp -j REDIRECT --to-ports ftp-ssh", { error: "bad-port" }],
  ["-p tcp -j REDIRECT --to-ports 10-ssh", { error: "bad-port" }],
  ["-p tcp -j REDIRECT --to-port 9040", "-p tcp -j REDIRECT --to-ports 9040"],
  ["-j REDIRECT --to-ports 42", { error: "missing-protocol" }],
  ["-j REDIRECT --random", "="],
] as const;

ruleCases("-j REDIRECT", cases, { table: "nat" });
ruleCases("-j REDIRECT (IPv6)", cases, { table: "nat", chain: "OUTPUT", family: "ipv6" });
ruleCases("-j REDIRECT refused in POSTROUTING", [["-j REDIRECT", { error: "bad-hook" }]], { table: "nat", chain: "POSTROUTING" });
