import { ruleCases } from "../../helpers/rule-cases.js";

// Checked with ip6tables-restore / ip6tables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "-j SNPT",
  [
    ["-j SNPT --src-pfx fd00::/48 --dst-pfx 2001:db8::/48", "="],
    ["-j SNPT --src-pfx dead::beef --dst-pfx 1c3::/64", { error: "bad-value" }],
    ["-j SNPT --src-pfx dead::/64", { error: "missing-option" }],
    ["-j SNPT", { error: "missing-option" }],
    ["-j SNPT --src-pfx dead::1/64 --dst-pfx 1c3::/64", { error: "bad-value" }],
    ["-j SNPT --src-pfx dead::/72 --dst-pfx 1c3::/72", { error: "bad-value" }],
  ],
  { table: "mangle", family: "ipv6", chain: "POSTROUTING" },
);
ruleCases(
  "-j DNPT",
  [
    ["-j DNPT --src-pfx dead::/64 --dst-pfx 1c3::/64", "="],
    ["-j DNPT --src-pfx dead::/ffff:ffff:: --dst-pfx 1c3::/32", "-j DNPT --src-pfx dead::/32 --dst-pfx 1c3::/32"],
  ],
  { table: "mangle", family: "ipv6", chain: "PREROUTING" },
);
ruleCases("-j SNPT outside mangle", [["-j SNPT --src-pfx fd00::/48 --dst-pfx 2001:db8::/48", { error: "bad-table" }]], { family: "ipv6", chain: "INPUT" });
