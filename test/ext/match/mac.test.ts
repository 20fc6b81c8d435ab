import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m mac", [
  ["-m mac --mac-source 42:01:02:03:04:05", "="],
  ["-m mac ! --mac-source 42:01:02:03:04:05", "="],
  ["-m mac --mac-source AA:bb:CC:dd:EE:ff", "-m mac --mac-source aa:bb:cc:dd:ee:ff"],
  ["-m mac --mac-source 4:1:2:3:4:5", "-m mac --mac-source 04:01:02:03:04:05"],
  ["-m mac --mac-source 42:01:02:03:04", { error: "bad-value" }],
  ["-m mac --mac-source 42:01:02:03:04:05:06", { error: "bad-value" }],
  ["-m mac --mac-source 42-01-02-03-04-05", { error: "bad-value" }],
  ["-m mac --mac-source 042:01:02:03:04:05", { error: "bad-value" }],
  ["-m mac", { error: "missing-option" }],
  // Published dumps censor addresses this way; loaded with a warning so the rest can be studied.
  ["-m mac --mac-source XX:XX:XX:XX:XX:XX", "="],
  ["-m mac --mac-source xx:xx:xx:xx:xx:xx", { error: "bad-value" }],
]);
ruleCases("-m mac in FORWARD", [["-m mac --mac-source 42:01:02:03:04:05", "="]], { chain: "FORWARD" });
ruleCases("-m mac in OUTPUT", [["-m mac --mac-source 42:01:02:03:04:05", { error: "bad-hook" }]], { chain: "OUTPUT" });
ruleCases("-m mac in nat POSTROUTING", [["-m mac --mac-source 42:01:02:03:04:05", { error: "bad-hook" }]], { table: "nat", chain: "POSTROUTING" });
ruleCases("-m mac in an unreferenced user chain", [["-m mac --mac-source 42:01:02:03:04:05", "="]], { chain: "USERCHAIN" });
