import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m mark", [
  ["-m mark --mark 0x4000/0x4000", "="],
  ["-m mark ! --mark 0x4000/0x4000", "="],
  ["-m mark --mark 0xfeedcafe/0xfeedcafe", "="],
  ["-m mark --mark 4294967295", "-m mark --mark 0xffffffff"],
  ["-m mark --mark 0x0", "="],
  ["-m mark --mark 0", "-m mark --mark 0x0"],
  ["-m mark --mark 10", "-m mark --mark 0xa"],
  ["-m mark --mark 0x10/0xffffffff", "-m mark --mark 0x10"],
  ["-m mark --mark 0x0/0x0", "="],
  ["-m mark ! --mark 0x0/0x0", "="],
  ["-m mark --mark 0x5/0x1", "="],
  ["-s 1.2.0.0/15 -m mark --mark 0x0/0xff0", "="],
  ["-m mark --mark 4294967296", { error: "bad-value" }],
  ["-m mark --mark -1", { error: "bad-value" }],
  ["-m mark --mark 1/2/3", { error: "bad-value" }],
  ["-m mark", { error: "missing-option" }],
]);
