import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j MARK", [
  ["-j MARK --set-xmark 0xfeedcafe/0xfeedcafe", "="],
  ["-j MARK --set-xmark 0x0", "-j MARK --set-xmark 0x0/0xffffffff"],
  ["-j MARK --set-xmark 4294967295", "-j MARK --set-xmark 0xffffffff/0xffffffff"],
  ["-j MARK --set-xmark 4294967296", { error: "bad-value" }],
  ["-j MARK --set-xmark -1", { error: "bad-value" }],
  ["-j MARK --set-mark 1", "-j MARK --set-xmark 0x1/0xffffffff"],
  ["-j MARK --set-mark 0x10/0x30", "-j MARK --set-xmark 0x10/0x30"],
  ["-j MARK --set-mark 0x4000/0x0", "-j MARK --set-xmark 0x4000/0x4000"],
  ["-j MARK --set-xmark 0x4000/0x0", "="],
  ["-j MARK --set-mark 010", "-j MARK --set-xmark 0x8/0xffffffff"],
  ["-j MARK --and-mark 0xff", "-j MARK --set-xmark 0x0/0xffffff00"],
  ["-j MARK --or-mark 0x4000", "-j MARK --set-xmark 0x4000/0x4000"],
  ["-j MARK --xor-mark 3", "-j MARK --set-xmark 0x3/0x0"],
  ["-j MARK --or-mark 1/2", { error: "bad-value" }],
  ["-j MARK --set-mark 1 --or-mark 2", { error: "conflicting-options" }],
  ["-j MARK --set-mark 1 --set-mark 2", { error: "duplicate-option" }],
  ["-j MARK", { error: "missing-option" }],
]);
ruleCases("-j MARK in nat", [["-j MARK --set-xmark 0x1/0xffffffff", "="]], { table: "nat", chain: "OUTPUT" });
ruleCases("-j MARK (IPv6)", [["-j MARK --set-xmark 0x2/0xffffffff", "="]], { table: "mangle", family: "ipv6" });
