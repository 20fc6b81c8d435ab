import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m iprange", [
  ["-m iprange --src-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange ! --src-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange --dst-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange ! --dst-range 1.1.1.1-1.1.1.10", "="],
  ["-m iprange ! --dst-range 1.1.1.1-1.1.1.10 --src-range 2.2.2.2-2.2.2.3", "-m iprange --src-range 2.2.2.2-2.2.2.3 ! --dst-range 1.1.1.1-1.1.1.10"],
  ["-m iprange --src-range 1.1.1.1", "-m iprange --src-range 1.1.1.1-1.1.1.1"],
  ["-m iprange --src-range 1.1.1.10-1.1.1.1", "="],
  ["-m iprange --src-range 1.1.1.1-", { error: "bad-address" }],
  ["-m iprange --src-range 1.1.1.1-2001:db8::1", { error: "bad-address" }],
  ["-m iprange", { error: "missing-option" }],
]);
ruleCases(
  "-m iprange (IPv6)",
  [
    ["-m iprange --src-range 2001:db8::1-2001:db8::ff", "="],
    ["-m iprange --src-range 2001:db8::ff-2001:db8::1", "="],
    ["-m iprange ! --dst-range 2001:DB8::1", "-m iprange ! --dst-range 2001:db8::1-2001:db8::1"],
    ["-m iprange --src-range 1.1.1.1-1.1.1.2", { error: "bad-address" }],
  ],
  { family: "ipv6" },
);
