import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m addrtype", [
  ["-m addrtype --dst-type LOCAL", "="],
  ["-m addrtype --src-type UNSPEC", "="],
  ["-m addrtype --src-type LOCAL --dst-type LOCAL", "="],
  ["-m addrtype --dst-type local,broadcast", "-m addrtype --dst-type LOCAL,BROADCAST"],
  ["-m addrtype --dst-type MULTICAST,LOCAL", "-m addrtype --dst-type LOCAL,MULTICAST"],
  ["-m addrtype ! --src-type LOCAL --dst-type U", "-m addrtype ! --src-type LOCAL --dst-type UNSPEC"],
  ["-m addrtype --dst-type L", "-m addrtype --dst-type LOCAL"],
  ["-m addrtype --dst-type BLACKHOLE,XRESOLVE", "="],
  ["-m addrtype --src-type LOCAL --limit-iface-in", "="],
  ["-m addrtype --dst-type LOCAL --limit-iface-in", "="],
  ["-m addrtype --dst-type LOCALX", { error: "bad-value" }],
  ["-m addrtype --src-type wrong", { error: "bad-value" }],
  ["-m addrtype --dst-type ,LOCAL", { error: "bad-value" }],
  ["-m addrtype --dst-type LOCAL,", { error: "bad-value" }],
  ["-m addrtype --src-type LOCAL --dst-type UNICAST ! --dst-type LOCAL", { error: "duplicate-option" }],
  ["-m addrtype --src-type LOCAL --limit-iface-in --limit-iface-out", { error: "conflicting-options" }],
  ["-m addrtype --limit-iface-in", { error: "missing-option" }],
  ["-m addrtype", { error: "missing-option" }],
  ["-m addrtype --src-type LOCAL --limit-iface-out", { error: "bad-hook" }],
]);
ruleCases(
  "-m addrtype in OUTPUT",
  [
    ["-m addrtype --src-type LOCAL --limit-iface-out", "="],
    ["-m addrtype --src-type LOCAL --limit-iface-in", { error: "bad-hook" }],
  ],
  { chain: "OUTPUT" },
);
ruleCases(
  "-m addrtype (IPv6)",
  [
    ["-m addrtype --dst-type LOCAL,ANYCAST,MULTICAST,UNSPEC,UNICAST", "-m addrtype --dst-type UNSPEC,UNICAST,LOCAL,ANYCAST,MULTICAST"],
    ["-m addrtype --dst-type UNREACHABLE", "="],
    ["-m addrtype --dst-type BROADCAST", { error: "bad-value" }],
    ["-m addrtype --dst-type BLACKHOLE", { error: "bad-value" }],
    ["-m addrtype --dst-type PROHIBIT", { error: "bad-value" }],
    ["-m addrtype --dst-type THROW", { error: "bad-value" }],
    ["-m addrtype --dst-type NAT", { error: "bad-value" }],
    ["-m addrtype --dst-type XRESOLVE", { error: "bad-value" }],
  ],
  { family: "ipv6" },
);
