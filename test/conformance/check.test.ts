/**
 * `nfwalk check`'s answers through the real kernel, on the docker-host lab:
 * examples/ci/expectations.yaml is checked against the change that publishes
 * the database (examples/ci/rules-db-published.v4). Every packet the report
 * says breaks an expectation (each broken part's example, each difference's
 * example with the rules before and after) is sent for real, and the kernel
 * must treat it as the report says: same outcome, egress interface and
 * header after NAT. For each expectation that holds, an example of its set is
 * sent too, and the kernel must give it the expected outcome.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { expectationsIn, readCheckFile } from "../../src/cli/check-file.js";
import { check, formatAddress, type Expectation, type ExpectationResult, type OutcomeSpec, type Treatment } from "../../src/index.js";
import type { Ingress } from "../../src/engine/pipeline.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { examplePoint, packetText } from "../../src/sets/text.js";
import { sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { kernelAnswer, type KernelAnswer, type Origin } from "./oracle.js";
import { LINKS, PEERS } from "./topology.js";

const root = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const FILE = "examples/ci/expectations.yaml";
const AFTER = read("examples/ci/rules-db-published.v4");
const available = conformanceAvailable();
if (!available.ok) console.log(`conformance check skipped: ${available.reason}`);

function load(text: string, file: string) {
  const r = parseRuleset(text, { file, family: "ipv4" });
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.ruleset;
}

/** The file's expectations read for the rules, the no-change ones with their BEFORE dump and its text. */
function expectations(ruleset: Ruleset): { list: Expectation[]; texts: Map<string, string> } {
  const file = readCheckFile(read(FILE), FILE);
  if (!file.ok) throw new Error("the example file reads");
  const parsed = expectationsIn(file.value, ruleset);
  if (!parsed.ok) throw new Error("the example file's packets read");
  const texts = new Map<string, string>();
  const list = parsed.value.map((e): Expectation => {
    if (e.kind === "outcome") return e;
    const path = e.before!.value;
    texts.set(path, read(path));
    return { kind: "no-change", name: e.name, where: e.where, before: load(texts.get(path)!, path), allow: e.allow };
  });
  return { list, texts };
}

/** The lab sends from its peers' interfaces and from the host; loopback has no peer. */
const SENDABLE = new Set(PEERS.map((p) => LINKS[p].hostInterface));
const sendable = (ingress: Ingress) => ingress.kind === "local" || SENDABLE.has(ingress.name);
const originOf = (ingress: Ingress): Origin => (ingress.kind === "local" ? { local: true } : { in: ingress.name });
/** What the oracle sees: a rejected packet is one that does not arrive. */
const seen = (outcome: string) => (outcome === "rejected" ? "dropped" : outcome);
const address = (n: number) => [24, 16, 8, 0].map((k) => (n >>> k) & 255).join(".");

function expectTreatedSo(kernel: KernelAnswer, t: Treatment, what: string): void {
  if (!kernel.loaded) throw new Error(kernel.message);
  expect(kernel.outcome, what).toBe(seen(t.outcome));
  if (t.interface !== undefined) expect(kernel.interface, what).toBe(t.interface);
  const [, src, dst, sport, dport] = t.rewrite;
  if (src !== undefined) expect(kernel.header?.src, what).toBe(address(src));
  if (dst !== undefined) expect(kernel.header?.dst, what).toBe(address(dst));
  if (sport !== undefined) expect(kernel.header?.sport, what).toBe(sport);
  if (dport !== undefined) expect(kernel.header?.dport, what).toBe(dport);
}

/** Whether the kernel's answer has the outcome the spec names (its `not` aside). */
function kernelHas(kernel: KernelAnswer, s: OutcomeSpec): boolean {
  if (!kernel.loaded) throw new Error(kernel.message);
  const takes: Record<string, string[]> = { reaches: ["delivered", "forwarded", "sent"], "not-reachable": ["dropped"], rejected: ["dropped"] };
  if (!(takes[s.outcome] ?? [s.outcome]).includes(kernel.outcome)) return false;
  if (s.via !== undefined && kernel.interface !== s.via) return false;
  if (s.natTo && (kernel.header?.dst !== formatAddress(s.natTo.address) || (s.natTo.port !== undefined && kernel.header?.dport !== s.natTo.port))) return false;
  if (s.natFrom && (kernel.header?.src !== formatAddress(s.natFrom.address) || (s.natFrom.port !== undefined && kernel.header?.sport !== s.natFrom.port))) return false;
  return true;
}

describe.skipIf(!available.ok)("check's counter-examples agree with the kernel", () => {
  const lab = sharedLab(available);

  test("examples/ci/expectations.yaml on the change that publishes the database", async () => {
    const after = load(AFTER, "rules-db-published.v4");
    const { list, texts } = expectations(after);
    const report = check({ ruleset: after, host: lab.host, expectations: list });
    const results: ExpectationResult[] = [...report.results];
    expect(results.filter((r) => r.status === "fail").map((r) => r.name)).toEqual(["the database is not reachable from outside", "Docker's own rules are unchanged but for DOCKER-USER's block"]);
    let sent = 0;
    for (const r of results) {
      if (r.kind === "outcome") {
        if (!sendable(r.packets.ingress)) continue;
        for (const part of r.broken) {
          const kernel = await kernelAnswer(lab.topology, AFTER, part.example, originOf(r.packets.ingress));
          expectTreatedSo(kernel, part.treatment, `${r.name}: ${part.example}`);
          expect(kernelHas(kernel, r.expect), part.example).toBe(r.expect.negated);
          sent++;
        }
        if (r.status === "pass") {
          const example = packetText(examplePoint(r.packets.query.set), r.packets.query.fixed);
          const kernel = await kernelAnswer(lab.topology, AFTER, example, originOf(r.packets.ingress));
          expect(kernelHas(kernel, r.expect), `${r.name}: ${example}`).toBe(!r.expect.negated);
          sent++;
        }
        continue;
      }
      const before = texts.get(r.before)!;
      for (const d of r.broken.filter((b) => sendable(b.ingress) && b.before.outcome !== "undetermined" && b.after.outcome !== "undetermined")) {
        expectTreatedSo(await kernelAnswer(lab.topology, before, d.example, originOf(d.ingress)), d.before, `before: ${d.example}`);
        expectTreatedSo(await kernelAnswer(lab.topology, AFTER, d.example, originOf(d.ingress)), d.after, `after: ${d.example}`);
        sent += 2;
      }
    }
    expect(sent).toBeGreaterThan(10);
  }, 300_000);
});
