/**
 * lint over every real dump and every Docker layout of the shared corpus (skipped with a note
 * without ../shared): it ends without an exception, and each finding points at what it names —
 * a rule's own line (`-A`), a chain's declaration (`:`) for an unused chain.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { defaultHost, lint, parseRuleset } from "../../src/index.js";
import { sharedCorpus } from "../helpers/shared-corpus.js";

const dumps = (["real", "docker/iptables"] as const).flatMap((part) => {
  const dir = sharedCorpus(part);
  return dir === undefined
    ? []
    : readdirSync(dir)
        .filter((f) => /\.(rules6?|golden)$/.test(f))
        .map((f) => join(dir, f));
});

describe.skipIf(dumps.length === 0)("lint over the corpus", () => {
  test("every dump: findings at real rule lines", { timeout: 300_000 }, () => {
    let findings = 0;
    for (const path of dumps) {
      const text = readFileSync(path, "utf8");
      const family = path.endsWith("6") || path.includes("ip6tables") ? "ipv6" : "ipv4";
      const loaded = parseRuleset(text, { file: path, family });
      if (!loaded.ok) throw new Error(`${path} does not load`);
      const lines = text.split("\n");
      const report = lint(loaded.ruleset, { host: defaultHost(loaded.ruleset) });
      for (const f of report.findings) {
        const line = lines[f.location.line - 1]!;
        if (f.code === "NF104") expect(line, `${path}:${f.location.line}`).toMatch(/^:/);
        else expect(line, `${path}:${f.location.line} ${f.code}`).toMatch(/^(\[\d+:\d+\] )?-A /);
        for (const r of f.related) expect(lines[r.location.line - 1], `${path}:${r.location.line}`).toMatch(/^(\[\d+:\d+\] )?-A /);
        findings++;
      }
    }
    // Real firewalls have shadowed rules and unused chains: a lint finding none would be broken.
    expect(findings).toBeGreaterThan(100);
  });
});
