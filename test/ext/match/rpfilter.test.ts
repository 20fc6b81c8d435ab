import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m rpfilter",
  [
    ["-m rpfilter", "="],
    ["-m rpfilter --invert", "="],
    ["-m rpfilter --loose --validmark --accept-local --invert", "="],
    ["-m rpfilter --invert --loose", "-m rpfilter --loose --invert"],
    ["-m rpfilter ! --loose", { error: "bad-negation" }],
  ],
  { table: "mangle" },
);
ruleCases("-m rpfilter in raw", [["-m rpfilter", "="]], { table: "raw" });
ruleCases("-m rpfilter in filter", [["-m rpfilter", { error: "bad-table" }]]);
ruleCases("-m rpfilter in mangle INPUT", [["-m rpfilter", { error: "bad-hook" }]], { table: "mangle", chain: "INPUT" });
ruleCases("-m rpfilter in mangle FORWARD", [["-m rpfilter", { error: "bad-hook" }]], { table: "mangle", chain: "FORWARD" });

describe("-m rpfilter semantics (rpfilter_mt)", () => {
  const raw = (env: Partial<Parameters<typeof matchEnvB>[0]>) => matchEnvB({ hook: "PREROUTING", table: "raw", ...env });
  test("loopback and unroutable sources pass", () => {
    expect(ruleMatch("-m rpfilter", raw({ inInterface: "lo" }))).toBe(true);
    expect(ruleMatch("-m rpfilter --invert", raw({ inInterface: "lo" }))).toBe(false);
    expect(ruleMatch("-m rpfilter", raw({ packet: "udp 0.0.0.0:68 -> 255.255.255.255:67" }))).toBe(true);
    expect(ruleMatch("-m rpfilter", raw({ packet: "udp 0.1.2.3:68 -> 224.0.0.251:67" }))).toBe(true);
    expect(ruleMatch("-m rpfilter", raw({ packet: "udp [::]:546 -> [ff02::1:2]:547" }))).toBe(true);
  });
  test("the rest needs a reverse route lookup", () => {
    expect(ruleMatch("-m rpfilter --loose", raw({}))).toEqual({ unknown: expect.stringContaining("reverse route") });
    expect(ruleMatch("-m rpfilter", raw({ packet: "udp 0.0.0.0:68 -> 10.0.0.1:67" }))).toEqual({ unknown: expect.any(String) });
  });
});
