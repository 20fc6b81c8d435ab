/**
 * Every scenario in examples/ through the real kernel: the kernel must agree
 * with nfwalk on the outcome, the header after NAT and every rule and policy
 * counter, so the examples cannot drift from what Linux does.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import type { Scenario } from "../helpers/scenario.js";
import { compare, sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const scenarios = JSON.parse(readFileSync(join(dir, "scenarios.json"), "utf8")) as Scenario[];
const available = conformanceAvailable();
if (!available.ok) console.log(`conformance examples skipped: ${available.reason}`);

describe.skipIf(!available.ok)("examples agree with the kernel", () => {
  const lab = sharedLab(available);

  test.each(scenarios)("$name", async (s) => {
    const verdict = await compare(lab.topology, lab.host, {
      rules: readFileSync(join(dir, s.rules), "utf8"),
      packet: s.packet,
      origin: s.local ? { local: true } : { in: s.in! },
      ...(s.sysctl && { sysctl: s.sysctl }),
    });
    expect(verdict.differences, JSON.stringify({ kernel: verdict.kernel, nfwalk: verdict.nfwalk }, null, 1)).toEqual([]);
  });
});
