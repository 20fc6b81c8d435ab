import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m recent", [
  ["-m recent --set --name ratessh --rsource", "-m recent --set --name ratessh --mask 255.255.255.255 --rsource"],
  ["-m recent --update --seconds 60 --hitcount 41 --name ratessh --rsource", "-m recent --update --seconds 60 --hitcount 41 --name ratessh --mask 255.255.255.255 --rsource"],
  ["-m recent --update --seconds 60 --hitcount 2 --name SSHA --mask 255.255.255.255 --rsource", "="],
  ["-m recent --set", "-m recent --set --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent ! --rcheck --rdest", "-m recent ! --rcheck --name DEFAULT --mask 255.255.255.255 --rdest"],
  ["-m recent --rcheck --seconds 5 --reap --rttl", "-m recent --rcheck --seconds 5 --reap --rttl --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent --remove --rsource --rdest", "-m recent --remove --name DEFAULT --mask 255.255.255.255 --rdest"],
  ["-m recent --rdest --rsource --set", "-m recent --set --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent --rcheck --hitcount 0", "-m recent --rcheck --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent --rcheck --hitcount 1000", "-m recent --rcheck --hitcount 1000 --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent --rcheck --seconds 0x10", "-m recent --rcheck --seconds 16 --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent --rcheck --seconds 4294967295", "-m recent --rcheck --seconds -1 --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["-m recent --set --mask 255.0.255.0", "-m recent --set --name DEFAULT --mask 255.0.255.0 --rsource"],
  ["-m recent --set --mask 24", "-m recent --set --name DEFAULT --mask 0.0.0.24 --rsource"],
  ["-m recent --set --mask 0x0a.1", "-m recent --set --name DEFAULT --mask 10.0.0.1 --rsource"],
  ["-m recent --set --name a,b", "-m recent --set --name a,b --mask 255.255.255.255 --rsource"],
  ["-m recent --set --nam x", "-m recent --set --name x --mask 255.255.255.255 --rsource"],
  ["-m recent --rcheck --seconds 0", { error: "bad-value" }],
  ["-m recent --rcheck --seconds 4294967296", { error: "bad-value" }],
  ["-m recent --rcheck --hitcount 65536", { error: "bad-value" }],
  ["-m recent --rcheck --reap", { error: "missing-option" }],
  ["-m recent --set --rttl", { error: "conflicting-options" }],
  ["-m recent --set --update", { error: "conflicting-options" }],
  ["-m recent --set ! --rcheck", { error: "conflicting-options" }],
  ["-m recent --set --set", { error: "duplicate-option" }],
  ["-m recent --name foo", { error: "missing-option" }],
  ["-m recent ! --rttl --rcheck", { error: "bad-negation" }],
  ["-m recent --set --rdest ! --rsource", { error: "bad-negation" }],
  ["-m recent --set --name a/b", { error: "bad-value" }],
  ["-m recent --set --name ..", { error: "bad-value" }],
  ['-m recent --set --name ""', { error: "bad-value" }],
  ["-m recent --set --mask 255.255.255.256", { error: "bad-address" }],
  ["-m recent --set --mask 255.255.255.255/8", { error: "bad-address" }],
]);

ruleCases(
  "-m recent (IPv6)",
  [
    ["-m recent --set", "-m recent --set --name DEFAULT --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource"],
    ["-m recent --set --mask ffff:ffff::", "-m recent --set --name DEFAULT --mask ffff:ffff:: --rsource"],
    ["-m recent --set --mask 255.255.255.0", { error: "bad-address" }],
  ],
  { family: "ipv6" },
);

describe("-m recent semantics (recent_mt)", () => {
  const env = matchEnvB();
  test("--set adds the address and matches, found or not", () => {
    expect(ruleMatch("-m recent --set --name x", env)).toBe(true);
    expect(ruleMatch("-m recent ! --set --name x", env)).toBe(false);
  });
  test("--remove matches only when the address is listed", () => {
    expect(ruleMatch("-m recent --remove --name x", env)).toEqual({ unknown: expect.stringContaining("whether the address is in it") });
  });
  test("--rcheck and --update depend on the list", () => {
    expect(ruleMatch("-m recent --rcheck --seconds 60 --hitcount 2 --name x", env)).toEqual({ unknown: expect.stringContaining("recent list") });
    expect(ruleMatch("-m recent ! --update --name x", env)).toEqual({ unknown: expect.stringContaining("--update --name x") });
  });
});
