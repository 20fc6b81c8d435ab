import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m mac", [
  ["-m mac --mac-source 42:01:02:03:04:05", "="],
  ["-m mac ! --mac-source 42:01:02:03:04:05", "="],
  ["-m mac --mac-source AA:bb:CC:dd:EE:ff", "-m mac --mac-source aa:bb:cc:dd:ee:ff"],
  ["-m mac --mac-source 4:1:2:3:4:5", "-m mac --mac-source 04:01:02:03:04:05"],
  ["-m mac --mac-source 42:01:02:03:04", { error: "bad-value" }],
  ["-m mac --mac-source 42:01:02:03:04:05:06", { error: "bad-value" }],
  ["-m mac --mac-source 42-01-02-03-04-05", { error: "bad-value" }],
  ["-m mac --mac-source 042:01:02:03:04:05", { error: "bad-value" }],
  ["-m mac", { error: "missing-option" }],
  // Published dumps censor addresses this way; loaded with a warning so the rest can be studied.
  ["-m mac --mac-source XX:XX:XX:XX:XX:XX", "="],
  ["-m mac --mac-source xx:xx:xx:xx:xx:xx", { error: "bad-value" }],
]);
ruleCases("-m mac in FORWARD", [["-m mac --mac-source 42:01:02:03:04:05", "="]], { chain: "FORWARD" });
ruleCases("-m mac in OUTPUT", [["-m mac --mac-source 42:01:02:03:04:05", { error: "bad-hook" }]], { chain: "OUTPUT" });
ruleCases("-m mac in nat POSTROUTING", [["-m mac --mac-source 42:01:02:03:04:05", { error: "bad-hook" }]], { table: "nat", chain: "POSTROUTING" });
ruleCases("-m mac in an unreferenced user chain", [["-m mac --mac-source 42:01:02:03:04:05", "="]], { chain: "USERCHAIN" });

describe("-m mac semantics (mac_mt)", () => {
  test("the frame's source, unknown when not described; never on lo", () => {
    const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { in: "eth0", sourceMac: "02:00:00:00:00:0a" });
    expect(verdict("-m mac --mac-source 02:00:00:00:00:0A", env)).toBe(true);
    expect(verdict("-m mac ! --mac-source 02:00:00:00:00:0a", env)).toBe(false);
    expect(verdict("-m mac --mac-source 02:00:00:00:00:0b", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2", { in: "eth0" }))).toBe("unknown");
    expect(verdict("-m mac ! --mac-source 02:00:00:00:00:0b", envOf("tcp 10.0.0.1:1 -> 10.0.0.1:2", { in: "lo" }))).toBe(false);
  });
});
