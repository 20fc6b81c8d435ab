import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { applyRule, targetEnv } from "../../helpers/target-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases(
  "-j TPROXY",
  [
    ["-p tcp -j TPROXY --on-port 3128", "-p tcp -j TPROXY --on-port 3128 --on-ip 0.0.0.0 --tproxy-mark 0x0/0x0"],
    ["-p tcp -j TPROXY --on-port 3128 --on-ip 10.0.0.1 --tproxy-mark 0x1/0x1", "="],
    ["-p tcp -j TPROXY --on-port 3128 --tproxy-mark 5", "-p tcp -j TPROXY --on-port 3128 --on-ip 0.0.0.0 --tproxy-mark 0x5/0xffffffff"],
    ["-p udp -j TPROXY --on-ip 10.0.0.1 --on-port 53", "-p udp -j TPROXY --on-port 53 --on-ip 10.0.0.1 --tproxy-mark 0x0/0x0"],
    ["-j TPROXY --on-port 3128", { error: "missing-protocol" }],
  ],
  { table: "mangle" },
);
ruleCases("-j TPROXY (IPv6)", [["-p tcp -j TPROXY --on-port 3128", "-p tcp -j TPROXY --on-port 3128 --on-ip :: --tproxy-mark 0x0/0x0"]], { table: "mangle", family: "ipv6" });
ruleCases("-j TPROXY outside PREROUTING", [["-p tcp -j TPROXY --on-port 1", { error: "bad-hook" }]], { table: "mangle", chain: "OUTPUT" });

describe("-j TPROXY semantics (tproxy_tg4)", () => {
  test("unknown: it depends on the host's sockets", () => {
    expect(applyRule("-p tcp -j TPROXY --on-port 3128 --tproxy-mark 0x1/0x1", targetEnv())).toEqual({
      kind: "unknown",
      reason: "TPROXY delivers the packet to a local socket on 0.0.0.0:3128 (mark set with 0x1/0x1) if one listens with IP_TRANSPARENT, and drops it otherwise; nfwalk cannot know the host's sockets",
    });
  });
});
