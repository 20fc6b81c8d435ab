/**
 * Random rulesets and random packets through the kernel and through nfwalk:
 * every packet must agree (outcome, header after NAT, every counter). On a
 * disagreement fast-check shrinks to the smallest ruleset and packet and
 * prints the seed, so the case can be replayed and kept as a regression.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { packetCase, rulesetText } from "../arbitraries/ruleset.js";
import { compare, sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";

const RULESETS = Number(process.env.NFWALK_RANDOM_RULESETS ?? 50);
const PACKETS_PER_RULESET = 10;
// A fixed seed keeps CI repeatable; NFWALK_SEED=random (or a number) explores other rulesets.
const seedSetting = process.env.NFWALK_SEED ?? "20261128";
const seed = seedSetting === "random" ? Date.now() % 2 ** 31 : Number(seedSetting);

const available = conformanceAvailable();
if (!available.ok) console.log(`random conformance skipped: ${available.reason}`);

describe.skipIf(!available.ok)("random rulesets agree with the kernel", () => {
  const lab = sharedLab(available);

  test(
    `${RULESETS} rulesets × ${PACKETS_PER_RULESET} packets (seed ${seed})`,
    async () => {
      let packets = 0;
      await fc.assert(
        fc.asyncProperty(rulesetText, fc.array(packetCase, { minLength: PACKETS_PER_RULESET, maxLength: PACKETS_PER_RULESET }), async (rules, cases) => {
          for (const c of cases) {
            const verdict = await compare(lab.topology, lab.host, { rules, packet: c.spec, origin: c.origin });
            packets++;
            if (!verdict.agree) {
              throw new Error(`${c.spec} from ${JSON.stringify(c.origin)}:\n  ${verdict.differences.join("\n  ")}\nrules:\n${rules}kernel: ${JSON.stringify(verdict.kernel)}`);
            }
          }
        }),
        { numRuns: RULESETS, seed, interruptAfterTimeLimit: 3 * 60_000, markInterruptAsFailure: false },
      );
      console.log(`random conformance: ${packets} packets over ${RULESETS} rulesets agreed (seed ${seed})`);
      expect(packets).toBeGreaterThan(0);
    },
    10 * 60_000,
  );
});
