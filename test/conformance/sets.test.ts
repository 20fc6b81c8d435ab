/**
 * `reach` and `diff` examples through the real kernel: on the docker-host lab,
 * every class `reach` gives and every difference `diff` finds between
 * rules.v4 and rules-db-published.v4 (the database published by mistake)
 * comes with an example PACKET; the kernel, sent that packet for real with
 * each dump loaded, must give the class's (the difference's) outcome and
 * egress interface.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import type { Ingress } from "../../src/engine/pipeline.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import { diff, reach } from "../../src/sets/answer.js";
import { EVERYTHING } from "../../src/sets/packet-set.js";
import { DEFAULT_FIXED, parsePacketSet } from "../../src/sets/text.js";
import { sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { kernelAnswer, type Origin } from "./oracle.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const before = readFileSync(join(dir, "rules.v4"), "utf8");
const after = readFileSync(join(dir, "rules-db-published.v4"), "utf8");
const available = conformanceAvailable();
if (!available.ok) console.log(`conformance sets skipped: ${available.reason}`);

function load(text: string) {
  const r = parseRuleset(text, { file: "rules", family: "ipv4" });
  if (!r.ok) throw new Error("example dump does not load");
  return r.ruleset;
}

/** The smaller real-world dumps of the shared corpus (their restore is quick), when it is there. */
const corpusDir = resolve(import.meta.dirname, "../../../shared/corpus/real");
const CORPUS_DUMPS = 6;
const corpus = existsSync(corpusDir)
  ? readdirSync(corpusDir)
      .filter((f) => f.endsWith(".rules"))
      .map((f) => ({ name: f, text: readFileSync(join(corpusDir, f), "utf8") }))
      .filter((d) => parseRuleset(d.text, { file: d.name, family: "ipv4" }).ok)
      .sort((a, b) => a.text.length - b.text.length || a.name.localeCompare(b.name))
      .slice(0, CORPUS_DUMPS)
  : [];
if (corpus.length === 0) console.log("conformance sets: the shared corpus is not here; its dumps are skipped");

const originOf = (ingress: Ingress): Origin => (ingress.kind === "local" ? { local: true } : { in: ingress.name });

/** The kernel's outcome as the oracle can see it: a rejected packet is one that did not arrive. */
const seen = (outcome: string) => (outcome === "rejected" ? "dropped" : outcome);

describe.skipIf(!available.ok)("reach and diff examples agree with the kernel", () => {
  const lab = sharedLab(available);

  test("every class of reach over tcp to the host's uplink address", async () => {
    const query = parsePacketSet("tcp any -> 10.99.0.1");
    if (!query.ok) throw new Error(query.message);
    for (const rules of [before, after]) {
      for (const c of reach({ ruleset: load(rules), host: lab.host, query: query.query, ingress: { kind: "interface", name: "eth0" } })) {
        if (c.outcome === "undetermined") continue;
        const kernel = await kernelAnswer(lab.topology, rules, c.example, { in: "eth0" });
        if (!kernel.loaded) throw new Error(kernel.message);
        expect(kernel.outcome, c.example).toBe(seen(c.outcome));
        if (c.interface) expect(kernel.interface, c.example).toBe(c.interface);
      }
    }
  }, 120_000);

  test.each(corpus)(
    "every class of reach on $name, from eth0 and from the host",
    async ({ text }) => {
      for (const ingress of [{ kind: "interface", name: "eth0" }, { kind: "local" }] as const) {
        for (const c of reach({ ruleset: load(text), host: lab.host, query: { set: EVERYTHING, fixed: DEFAULT_FIXED }, ingress })) {
          if (c.outcome === "undetermined") continue;
          const kernel = await kernelAnswer(lab.topology, text, c.example, originOf(ingress));
          // A dump the kernel refuses (old syntax) says nothing about reach.
          if (!kernel.loaded) return;
          expect(kernel.outcome, `${c.example} ${JSON.stringify(ingress)}`).toBe(seen(c.outcome));
          if (c.interface) expect(kernel.interface, c.example).toBe(c.interface);
        }
      }
    },
    300_000,
  );

  test("every difference diff finds, its example sent with each dump", async () => {
    const origins: Ingress[] = [{ kind: "interface", name: "eth0" }, { kind: "interface", name: "docker0" }, { kind: "local" }];
    const differences = diff({ ruleset: load(before), host: lab.host }, { ruleset: load(after), host: lab.host }, { set: EVERYTHING, fixed: DEFAULT_FIXED }, origins);
    expect(differences.length).toBeGreaterThan(0);
    for (const d of differences) {
      for (const [rules, treatment] of [
        [before, d.before],
        [after, d.after],
      ] as const) {
        if (treatment.outcome === "undetermined") continue;
        const kernel = await kernelAnswer(lab.topology, rules, d.example, originOf(d.ingress));
        if (!kernel.loaded) throw new Error(kernel.message);
        expect(kernel.outcome, `${d.example} ${JSON.stringify(d.ingress)}`).toBe(seen(treatment.outcome));
        if (treatment.interface) expect(kernel.interface, d.example).toBe(treatment.interface);
      }
    }
  }, 300_000);
});
