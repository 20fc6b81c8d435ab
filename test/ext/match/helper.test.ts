import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m helper", [
  ["-m helper --helper ftp", "="],
  ['-m helper ! --helper "sip-5060"', "-m helper ! --helper sip-5060"],
  ['-m helper --helper "a b"', "="],
  ['-m helper --helper ""', "="],
  ["-m helper --helper 0123456789012345678901234567890", "-m helper --helper 01234567890123456789012345678"],
  ["-m helper", { error: "missing-option" }],
]);

describe("-m helper semantics (helper_mt)", () => {
  test("a first packet has no master connection: only the `!` holds", () => {
    const env = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:21", { conntrack: { helper: "ftp" } });
    expect(verdict("-m helper --helper ftp", env)).toBe(false);
    expect(verdict("-m helper ! --helper ftp", env)).toBe(true);
    expect(verdict("-m helper --helper ftp", envOf("tcp 10.0.0.2:1 -> 10.0.0.1:21", { conntrack: { state: "RELATED" } }))).toBe("unknown");
  });
});
