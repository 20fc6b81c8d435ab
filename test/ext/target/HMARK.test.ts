import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked with iptables-restore / iptables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "-j HMARK",
  [
    ["-j HMARK --hmark-tuple src,dport --hmark-mod 4 --hmark-rnd 1", "-j HMARK --hmark-src-prefix 32 --hmark-dport-mask 0xffff --hmark-rnd 0x00000001 --hmark-mod 4"],
    ["-j HMARK --hmark-tuple ct --hmark-mod 4 --hmark-rnd 0x10 --hmark-offset 100", "-j HMARK --hmark-rnd 0x00000010 --hmark-mod 4 --hmark-offset 100 --hmark-tuple ct"],
    ["-j HMARK --hmark-tuple s,p --hmark-mod 4 --hmark-rnd 1", "-j HMARK --hmark-src-prefix 32 --hmark-proto-mask 0xffff --hmark-rnd 0x00000001 --hmark-mod 4"],
    [
      "-j HMARK --hmark-src-prefix 1 --hmark-dst-prefix 2 --hmark-sport-mask 0x0003 --hmark-dport-mask 0x0004 --hmark-proto-mask 0x05 --hmark-rnd 0x00000004 --hmark-mod 42 --hmark-offset 1 --hmark-tuple ct",
      "=",
    ],
    ["-j HMARK", { error: "missing-option" }],
    ["-j HMARK --hmark-tuple src --hmark-mod 4", { error: "missing-option" }],
    ["-j HMARK --hmark-rnd 1 --hmark-mod 4", { error: "missing-option" }],
    ["-j HMARK --hmark-tuple src --hmark-rnd 1 --hmark-mod 0", { error: "bad-value" }],
    ["-j HMARK --hmark-tuple src,bogus --hmark-rnd 1 --hmark-mod 4", { error: "bad-value" }],
    ["-j HMARK --hmark-tuple sport,spi --hmark-rnd 1 --hmark-mod 4", { error: "conflicting-options" }],
  ],
  { table: "mangle" },
);
ruleCases("-j HMARK (IPv6)", [["-j HMARK --hmark-tuple src,spi --hmark-mod 4 --hmark-rnd 1", "-j HMARK --hmark-src-prefix 128 --hmark-spi-mask 0xffffffff --hmark-rnd 0x00000001 --hmark-mod 4"]], {
  table: "mangle",
  family: "ipv6",
});
