import { describe, expect, test } from "vitest";
import { applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j TCPMSS",
  [
    ["-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --set-mss 42", "="],
    ["-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu", "="],
    ["-p tcp -j TCPMSS --set-mss 65515", "="],
    ["-p tcp -j TCPMSS --set-mss 65516", { error: "bad-value" }],
    ["-p tcp -j TCPMSS --set-mss 1400 --clamp-mss-to-pmtu", "-p tcp -j TCPMSS --clamp-mss-to-pmtu"],
    ["-p tcp -j TCPMSS --clamp-mss-to-pmtu --set-mss 1400", "-p tcp -j TCPMSS --set-mss 1400"],
    ["-p tcp -j TCPMSS", { error: "missing-option" }],
    ["-j TCPMSS --set-mss 1400", { error: "missing-protocol" }],
    ["! -p tcp -j TCPMSS --set-mss 1400", { error: "missing-protocol" }],
  ],
  { table: "mangle", chain: "FORWARD" },
);
ruleCases("-j TCPMSS in filter", [["-p tcp -j TCPMSS --clamp-mss-to-pmtu", "="]], { table: "filter", chain: "FORWARD" });
ruleCases("-j TCPMSS --set-mss in PREROUTING", [["-p tcp -j TCPMSS --set-mss 1400", "="]], { table: "mangle", chain: "PREROUTING" });
ruleCases(
  "-j TCPMSS (IPv6)",
  [
    ["-p tcp -j TCPMSS --set-mss 65495", "="],
    ["-p tcp -j TCPMSS --set-mss 65496", { error: "bad-value" }],
  ],
  { table: "mangle", chain: "POSTROUTING", family: "ipv6" },
);

describe("-j TCPMSS semantics (tcpmss_mangle_packet)", () => {
  test("continues; the note says the kernel only lowers the MSS", () => {
    const env = targetEnv({ hook: "FORWARD" });
    expect(applyRule("-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1400", env)).toEqual({
      kind: "continue",
      note: "TCPMSS: the SYN's MSS option is lowered to 1400 if it is larger (or added, at most 536, if missing)",
    });
  });
});
