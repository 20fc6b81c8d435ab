import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CONNMARK",
  [
    ["-j CONNMARK --restore-mark", "-j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff"],
    ["-j CONNMARK --save-mark", "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff"],
    ["-j CONNMARK --save-mark --nfmask 0xfffffff --ctmask 0xffffffff", "="],
    ["-j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff", "="],
    ["-j CONNMARK --save-mark --mask 3", "-j CONNMARK --save-mark --nfmask 0x3 --ctmask 0x3"],
    ["-j CONNMARK --save-mark --mask 3 --ctmask 1", { error: "conflicting-options" }],
    ["-j CONNMARK --save-mark --restore-mark", { error: "conflicting-options" }],
    ["-j CONNMARK --save-mark --left-shift-mark 3", "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff --left-shift-mark 3"],
    ["-j CONNMARK --left-shift-mark 2 --right-shift-mark 3 --save-mark", "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff --right-shift-mark 3"],
    ["-j CONNMARK --restore-mark --right-shift-mark 33", { error: "bad-value" }],
    ["-j CONNMARK --set-xmark 0x1/0x1", "="],
    ["-j CONNMARK --set-mark 0xb00/0xff00", "-j CONNMARK --set-xmark 0xb00/0xff00"],
    ["-j CONNMARK --set-mark 1", "-j CONNMARK --set-xmark 0x1/0xffffffff"],
    ["-j CONNMARK --set-mark 1 --mask 3", "-j CONNMARK --set-xmark 0x1/0x3"],
    ["-j CONNMARK --mask 3 --set-mark 1", "-j CONNMARK --set-xmark 0x1/0xffffffff"],
    ["-j CONNMARK --set-mark 1 --ctmask 3", "-j CONNMARK --set-xmark 0x1/0x3"],
    ["-j CONNMARK --set-xmark 1/2 --nfmask 5", "-j CONNMARK --set-xmark 0x1/0x2"],
    ["-j CONNMARK --set-mark 1 --left-shift-mark 3", "-j CONNMARK --set-xmark 0x1/0xffffffff --left-shift-mark 3"],
    ["-j CONNMARK --and-mark 0xff", "-j CONNMARK --set-xmark 0x0/0xffffff00"],
    ["-j CONNMARK --or-mark 0x10", "-j CONNMARK --set-xmark 0x10/0x10"],
    ["-j CONNMARK --xor-mark 0x10", "-j CONNMARK --set-xmark 0x10/0x0"],
    ["-j CONNMARK", { error: "missing-option" }],
    ["-j CONNMARK --mask 3", { error: "missing-option" }],
  ],
  { table: "mangle" },
);
ruleCases("-j CONNMARK in filter", [["-j CONNMARK --set-xmark 0x1/0xffffffff", "="]], { chain: "FORWARD" });
