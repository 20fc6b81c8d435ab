import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m connmark", [
  ["-m connmark --mark 0x10/0xff", "="],
  ["-m connmark ! --mark 1", "-m connmark ! --mark 0x1"],
  ["-m connmark --mark 0x0/0x0", "="],
  ["-m connmark --mark 0xffffffff/0xffffffff", "-m connmark --mark 0xffffffff"],
  ["-m connmark --mark 0x100000000", { error: "bad-value" }],
  ["-m connmark", { error: "missing-option" }],
]);
