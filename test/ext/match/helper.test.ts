import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m helper", [
  ["-m helper --helper ftp", "="],
  ["-m helper ! --helper \"sip-5060\"", "-m helper ! --helper sip-5060"],
  ["-m helper --helper \"a b\"", "="],
  ["-m helper --helper \"\"", "="],
  ["-m helper --helper 0123456789012345678901234567890", "-m helper --helper 01234567890123456789012345678"],
  ["-m helper", { error: "missing-option" }],
]);
