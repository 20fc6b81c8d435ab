/**
 * The random-ruleset arbitrary stays honest: what it writes, iptables-restore
 * accepts, and iptables-save prints back unchanged (so it is canonical).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { diffSections } from "../kernel/compare.js";
import { kernelAvailable, saveSections, withNamespace } from "../kernel/netns.js";
import { rulesetText } from "./ruleset.js";

const available = kernelAvailable();
if (!available.ok) console.log(`arbitrary-vs-kernel check skipped: ${available.reason}`);

describe.skipIf(!available.ok)("random rulesets", () => {
  test("load in the kernel and come back from iptables-save as generated", async () => {
    const samples = fc.sample(rulesetText, { numRuns: 25, seed: 42 });
    // A fresh namespace each: iptables-restore leaves the tables a dump does not name.
    for (const text of samples) {
      await withNamespace(async (ns) => {
        const restored = await ns.restore(text, "ipv4");
        expect(restored, text).toEqual({ ok: true });
        const saved = await ns.save("ipv4");
        expect(diffSections(saveSections(text), saveSections(saved), { actual: "generated", expected: "kernel" }), text).toEqual([]);
      });
    }
  }, 120_000);
});
