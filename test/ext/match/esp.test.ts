import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m esp", [
  ["-p esp -m esp ! --espspi 5:10", "="],
  ["-p esp -m esp --espspi 0:4294967295", "-p esp -m esp"],
  // esp_save drops the `!` of a full range; the kernel keeps it (the rule matches nothing).
  ["-p esp -m esp ! --espspi 0:4294967295", "-p esp -m esp"],
  ["-p esp -m esp --espspi :10", "-p esp -m esp --espspi 0:10"],
  ["-p esp -m esp --espspi 10:5", "="],
  ["-p esp -m esp --espspi 0x10", "-p esp -m esp --espspi 16"],
  ["-m esp --espspi 1", { error: "missing-protocol" }],
]);

describe("-m esp semantics (esp_mt)", () => {
  const env = envOf("esp 10.0.0.2 -> 10.0.0.1");
  test("only the full SPI range is decided", () => {
    expect(verdict("-p esp -m esp", env)).toBe(true);
    expect(verdict("-p esp -m esp ! --espspi 0:4294967295", env)).toBe(false);
    expect(verdict("-p esp -m esp --espspi 5", env)).toBe("unknown");
  });
  test("a later fragment never matches", () => {
    expect(verdict("-p esp -m esp", envOf("esp 10.0.0.2 -> 10.0.0.1 [frag 3]"))).toBe(false);
  });
});
