import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j REJECT", [
  ["-j REJECT", "-j REJECT --reject-with icmp-port-unreachable"],
  ["-j REJECT --reject-with icmp-net-unreachable", "="],
  ["-j REJECT --reject-with icmp-host-unreachable", "="],
  ["-j REJECT --reject-with icmp-port-unreachable", "="],
  ["-j REJECT --reject-with icmp-proto-unreachable", "="],
  ["-j REJECT --reject-with icmp-net-prohibited", "="],
  ["-j REJECT --reject-with icmp-host-prohibited", "="],
  ["-j REJECT --reject-with icmp-admin-prohibited", "="],
  ["-j REJECT --reject-with host-prohib", "-j REJECT --reject-with icmp-host-prohibited"],
  ["-j REJECT --reject-with ICMP-HOST-PROHIBITED", "-j REJECT --reject-with icmp-host-prohibited"],
  ["-j REJECT --reject-with icmp", "-j REJECT --reject-with icmp-net-unreachable"],
  ["-j REJECT --reject-with port", "-j REJECT --reject-with icmp-port-unreachable"],
  ["-j REJECT --reject-with icmp6-port-unreachable", { error: "bad-value" }],
  ["-j REJECT --reject-with echo-reply", { error: "bad-value" }],
  ["-p tcp -j REJECT --reject-with tcp-reset", "="],
  ["-p tcp -j REJECT --reject-with tcp-rst", "-p tcp -j REJECT --reject-with tcp-reset"],
  ["-j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ["! -p tcp -j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ["-p udp -j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ["-j REJECT --reject-with icmp-port-unreachable --reject-with icmp-port-unreachable", { error: "duplicate-option" }],
]);

ruleCases("-j REJECT in FORWARD", [["-j REJECT --reject-with icmp-port-unreachable", "="]], { chain: "FORWARD" });
ruleCases("-j REJECT outside filter", [["-j REJECT", { error: "bad-table" }]], { table: "mangle", chain: "INPUT" });
ruleCases("-j REJECT in a user chain", [["-j REJECT", "-j REJECT --reject-with icmp-port-unreachable"]], { chain: "USERCHAIN" });

ruleCases(
  "-j REJECT (IPv6)",
  [
    ["-j REJECT", "-j REJECT --reject-with icmp6-port-unreachable"],
    ["-j REJECT --reject-with icmp6-no-route", "="],
    ["-j REJECT --reject-with icmp6-adm-prohibited", "="],
    ["-j REJECT --reject-with icmp6-addr-unreachable", "="],
    ["-j REJECT --reject-with icmp6-port-unreachable", "="],
    ["-j REJECT --reject-with icmp6-policy-fail", "="],
    ["-j REJECT --reject-with icmp6-reject-route", "="],
    ["-j REJECT --reject-with adm-prohibited", "-j REJECT --reject-with icmp6-adm-prohibited"],
    ["-j REJECT --reject-with icmp6", "-j REJECT --reject-with icmp6-no-route"],
    ["-j REJECT --reject-with icmp-port-unreachable", { error: "bad-value" }],
    ["-p tcp -j REJECT --reject-with tcp-reset", "="],
    ["-j REJECT --reject-with tcp-reset", { error: "missing-protocol" }],
  ],
  { family: "ipv6" },
);
