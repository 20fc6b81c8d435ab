import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m physdev",
  [
    ["-m physdev --physdev-in tap839737e6-15 --physdev-is-bridged", "="],
    ["-m physdev --physdev-out tap839737e6-15 --physdev-is-bridged", "="],
    ["-m physdev --physdev-is-bridged", "="],
    ["-m physdev --physdev-out vethwe-bridge", "="],
    ["-m physdev --physdev-is-out", "="],
    ["-m physdev --physdev-out lo ! --physdev-is-bridged", "="],
    [
      "-m physdev --physdev-is-bridged --physdev-out x+ ! --physdev-is-out ! --physdev-in y --physdev-is-in",
      "-m physdev --physdev-is-in ! --physdev-in y ! --physdev-is-out --physdev-out x+ --physdev-is-bridged",
    ],
    ["-m physdev --physdev-in 0123456789abcde", "="],
    ["-m physdev --physdev-in +", "="],
    ["-m physdev --physdev-in=foo", "-m physdev --physdev-in foo"],
    ["-m physdev --physdev-in 0123456789abcdef", { error: "bad-interface" }],
    ["-m physdev", { error: "missing-option" }],
    ["-m physdev --physdev-is-bridged,", { error: "unknown-option" }],
  ],
  { chain: "FORWARD" },
);

ruleCases(
  "-m physdev in OUTPUT: output tests need a bridged packet",
  [
    ["-m physdev --physdev-out lo --physdev-is-bridged", "="],
    ["-m physdev --physdev-in lo", "="],
    ["-m physdev --physdev-out lo", { error: "bad-hook" }],
    ["-m physdev --physdev-is-out", { error: "bad-hook" }],
    ["-m physdev --physdev-out lo ! --physdev-is-bridged", { error: "bad-hook" }],
  ],
  { chain: "OUTPUT" },
);

ruleCases(
  "-m physdev in POSTROUTING",
  [
    ["-m physdev --physdev-out lo", "="],
    ["-m physdev --physdev-is-out --physdev-is-bridged", "="],
  ],
  { table: "mangle", chain: "POSTROUTING" },
);
