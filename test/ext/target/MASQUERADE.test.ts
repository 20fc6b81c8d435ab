import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
const cases = [
  ["-j MASQUERADE", "="],
  ["-o eth0 -j MASQUERADE", "="],
  ["-j MASQUERADE --random", "="],
  ["-j MASQUERADE --random-fully", "="],
  ["-j MASQUERADE --random-fully --random", "-j MASQUERADE --random --random-fully"],
  ["-p tcp -j MASQUERADE --to-ports 1024", "="],
  ["-p udp -j MASQUERADE --to-ports 1024-65535", "="],
  ["-p udp -j MASQUERADE --to-ports 1024-65536", { error: "bad-port" }],
  ["-p udp -j MASQUERADE --to-ports -1", { error: "bad-port" }],
  ["-p tcp -j MASQUERADE --to-ports 1024:2048", { error: "bad-port" }],
  ["-j MASQUERADE --to-ports 1024-65535", { error: "missing-protocol" }],
  ["-p tcp -j MASQUERADE --to-ports 1000-2000/3", "-p tcp -j MASQUERADE --to-ports 1000-2000/0"],
  ["-j MASQUERADE --persistent", { error: "unknown-option" }],
] as const;

ruleCases("-j MASQUERADE", cases, { table: "nat", chain: "POSTROUTING" });
ruleCases("-j MASQUERADE (IPv6)", cases, { table: "nat", chain: "POSTROUTING", family: "ipv6" });
ruleCases("-j MASQUERADE refused outside POSTROUTING", [["-j MASQUERADE", { error: "bad-hook" }]], { table: "nat", chain: "OUTPUT" });
ruleCases("-j MASQUERADE refused outside nat", [["-j MASQUERADE", { error: "bad-table" }]], { table: "filter", chain: "OUTPUT" });
