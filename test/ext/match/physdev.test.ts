import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
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

describe("-m physdev semantics (physdev_mt)", () => {
  const routed = matchEnvB();
  const arrived = matchEnvB({ inInterface: "br0", physIn: "veth1" });
  const bridged = matchEnvB({ hook: "FORWARD", inInterface: "br0", outInterface: "br0", physIn: "veth1", physOut: "veth2" });
  const m = (args: string, env: ReturnType<typeof matchEnvB>) => ruleMatch(args, env, { chain: env.hook });
  test("no bridge information: only all-negated options match", () => {
    expect(m("-m physdev --physdev-is-in", routed)).toBe(false);
    expect(m("-m physdev ! --physdev-is-bridged", routed)).toBe(true);
    expect(m("-m physdev ! --physdev-in veth1 ! --physdev-is-in", routed)).toBe(true);
    expect(m("-m physdev ! --physdev-in veth1 --physdev-is-in", routed)).toBe(false);
  });
  test("ports and wildcards", () => {
    expect(m("-m physdev --physdev-in veth1", arrived)).toBe(true);
    expect(m("-m physdev --physdev-in veth+", arrived)).toBe(true);
    expect(m("-m physdev --physdev-in veth", arrived)).toBe(false);
    expect(m("-m physdev ! --physdev-in veth1", arrived)).toBe(false);
    expect(m("-m physdev --physdev-is-in ! --physdev-is-out", arrived)).toBe(true);
    expect(m("-m physdev --physdev-out veth2 --physdev-is-bridged", bridged)).toBe(true);
    expect(m("-m physdev --physdev-out veth3 --physdev-is-bridged", bridged)).toBe(false);
    expect(m("-m physdev ! --physdev-out veth3 --physdev-is-bridged", bridged)).toBe(true);
  });
  test("bridged means an output port is known; absent ports pass the name tests", () => {
    expect(m("-m physdev --physdev-is-bridged", arrived)).toBe(false);
    expect(m("-m physdev ! --physdev-is-bridged", arrived)).toBe(true);
    expect(m("-m physdev --physdev-is-bridged", bridged)).toBe(true);
    expect(m("-m physdev --physdev-out nomatch", arrived)).toBe(true);
  });
});
