/**
 * `nfwalk check`'s answers through the real kernel. On the docker-host lab:
 * examples/ci/expectations.yaml checked against the change that publishes the
 * database (examples/ci/rules-db-published.v4); on the IPv6 lab (lab-v6.ts,
 * the topology of examples/ci/ipv6): examples/ci/ipv6/expectations.yaml against
 * the change that opens ssh to everyone, and against the rules it was written
 * for. Every packet the report says breaks an expectation (each broken part's
 * example, each difference's example with the rules before and after) is sent
 * for real, and the kernel must treat it as the report says: same outcome,
 * egress interface and, where the lab sees it (the docker-host lab; the IPv6
 * lab counts packets where they end), header after NAT. For each expectation
 * that holds, an example of its set is sent too, and the kernel must give it
 * the expected outcome.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectationsIn, readCheckFile } from "../../src/cli/check-file.js";
import { rewrittenAddress } from "../../src/check/outcome.js";
import { check, formatAddress, type Expectation, type ExpectationResult, type Host, type OutcomeSpec, type Treatment } from "../../src/index.js";
import type { Ingress } from "../../src/engine/pipeline.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { examplePoint, packetText } from "../../src/sets/text.js";
import { sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { openLabV6, type LabV6 } from "./lab-v6.js";
import { kernelAnswer, type HeaderJson, type Origin } from "./oracle.js";
import { LINKS, PEERS } from "./topology.js";

const root = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const available = conformanceAvailable();
if (!available.ok) console.log(`conformance check skipped: ${available.reason}`);

function load(text: string, file: string) {
  const r = parseRuleset(text, { file });
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.ruleset;
}

/** The file's expectations read for the rules, the no-change ones with their BEFORE dump and its text. */
function expectations(path: string, ruleset: Ruleset): { list: Expectation[]; texts: Map<string, string> } {
  const file = readCheckFile(read(path), path);
  if (!file.ok) throw new Error(`${path} reads`);
  const parsed = expectationsIn(file.value, ruleset);
  if (!parsed.ok) throw new Error(`${path}: its packets read`);
  const texts = new Map<string, string>();
  const list = parsed.value.map((e): Expectation => {
    if (e.kind === "outcome") return e;
    const before = e.before!.value;
    texts.set(before, read(before));
    return { kind: "no-change", name: e.name, where: e.where, before: load(texts.get(before)!, before), allow: e.allow };
  });
  return { list, texts };
}

/** Where the kernel put a packet, and its header there when the lab sees it. */
interface Seen {
  readonly outcome: string;
  readonly interface?: string;
  readonly header?: HeaderJson;
}

/** A lab: its host, the origins it can send from, and what the kernel does with a packet under a dump. */
interface Lab {
  readonly host: Host;
  readonly seesHeaders: boolean;
  readonly sendable: (ingress: Ingress) => boolean;
  readonly send: (rules: string, packet: string, ingress: Ingress) => Promise<Seen>;
}

const originOf = (ingress: Ingress): Origin => (ingress.kind === "local" ? { local: true } : { in: ingress.name });
/** What the oracle sees: a rejected packet is one that does not arrive. */
const seen = (outcome: string) => (outcome === "rejected" ? "dropped" : outcome);

function expectTreatedSo(lab: Lab, kernel: Seen, t: Treatment, family: Ruleset["family"], what: string): void {
  expect(kernel.outcome, what).toBe(seen(t.outcome));
  if (t.interface !== undefined) expect(kernel.interface, what).toBe(t.interface);
  if (!lab.seesHeaders) return;
  for (const field of ["src", "dst"] as const) {
    const address = rewrittenAddress(t, family, field);
    if (address) expect(kernel.header?.[field], what).toBe(formatAddress(address));
  }
  const [, , , sport, dport] = t.rewrite;
  if (sport !== undefined) expect(kernel.header?.sport, what).toBe(sport);
  if (dport !== undefined) expect(kernel.header?.dport, what).toBe(dport);
}

/** Whether the kernel's answer has the outcome the spec names (its `not` aside); the header after NAT where the lab sees it. */
function kernelHas(lab: Lab, kernel: Seen, s: OutcomeSpec): boolean {
  const takes: Record<string, string[]> = { reaches: ["delivered", "forwarded", "sent"], "not-reachable": ["dropped"], rejected: ["dropped"] };
  if (!(takes[s.outcome] ?? [s.outcome]).includes(kernel.outcome)) return false;
  if (s.via !== undefined && kernel.interface !== s.via) return false;
  if (!lab.seesHeaders) return true;
  if (s.natTo && (kernel.header?.dst !== formatAddress(s.natTo.address) || (s.natTo.port !== undefined && kernel.header?.dport !== s.natTo.port))) return false;
  if (s.natFrom && (kernel.header?.src !== formatAddress(s.natFrom.address) || (s.natFrom.port !== undefined && kernel.header?.sport !== s.natFrom.port))) return false;
  return true;
}

/** Checks the file against the dump on the lab's host and sends what the report names; the report's failed expectations, and how many packets were sent. */
async function sendReport(lab: Lab, path: string, rulesPath: string): Promise<{ failed: string[]; sent: number }> {
  const rules = read(rulesPath);
  const ruleset = load(rules, rulesPath);
  const { list, texts } = expectations(path, ruleset);
  const results: ExpectationResult[] = [...check({ ruleset, host: lab.host, expectations: list }).results];
  let sent = 0;
  for (const r of results) {
    if (r.kind === "outcome") {
      if (!lab.sendable(r.packets.ingress)) continue;
      for (const part of r.broken) {
        const kernel = await lab.send(rules, part.example, r.packets.ingress);
        expectTreatedSo(lab, kernel, part.treatment, r.family, `${r.name}: ${part.example}`);
        expect(kernelHas(lab, kernel, r.expect), part.example).toBe(r.expect.negated);
        sent++;
      }
      if (r.status === "pass") {
        const example = packetText(examplePoint(r.packets.query.set, r.family), r.packets.query.fixed);
        const kernel = await lab.send(rules, example, r.packets.ingress);
        expect(kernelHas(lab, kernel, r.expect), `${r.name}: ${example}`).toBe(!r.expect.negated);
        sent++;
      }
      continue;
    }
    const before = texts.get(r.before)!;
    for (const d of r.broken.filter((b) => lab.sendable(b.ingress) && b.before.outcome !== "undetermined" && b.after.outcome !== "undetermined")) {
      expectTreatedSo(lab, await lab.send(before, d.example, d.ingress), d.before, r.family, `before: ${d.example}`);
      expectTreatedSo(lab, await lab.send(rules, d.example, d.ingress), d.after, r.family, `after: ${d.example}`);
      sent += 2;
    }
  }
  return { failed: results.filter((r) => r.status === "fail").map((r) => r.name), sent };
}

describe.skipIf(!available.ok)("check's counter-examples agree with the kernel", () => {
  const shared = sharedLab(available);
  /** The lab sends from its peers' interfaces and from the host; loopback has no peer. */
  const peerInterfaces = new Set(PEERS.map((p) => LINKS[p].hostInterface));
  const lab: Lab = {
    get host() {
      return shared.host;
    },
    seesHeaders: true,
    sendable: (ingress) => ingress.kind === "local" || peerInterfaces.has(ingress.name),
    async send(rules, packet, ingress) {
      const kernel = await kernelAnswer(shared.topology, rules, packet, originOf(ingress));
      if (!kernel.loaded) throw new Error(kernel.message);
      return kernel;
    },
  };

  test("examples/ci/expectations.yaml on the change that publishes the database", async () => {
    const { failed, sent } = await sendReport(lab, "examples/ci/expectations.yaml", "examples/ci/rules-db-published.v4");
    expect(failed).toEqual(["the database is not reachable from outside", "Docker's own rules are unchanged but for DOCKER-USER's block"]);
    expect(sent).toBeGreaterThan(10);
  }, 300_000);
});

describe.skipIf(!available.ok)("IPv6 check's counter-examples agree with the kernel (ip6tables, scapy)", () => {
  let v6: LabV6;
  beforeAll(async () => {
    v6 = await openLabV6(available.ok ? available.python : "python3");
  }, 60_000);
  afterAll(async () => {
    await v6?.close();
  });
  const lab: Lab = {
    get host() {
      return v6.host;
    },
    seesHeaders: false,
    sendable: () => true,
    send: (rules, packet, ingress) => v6.send(rules, packet, originOf(ingress)),
  };

  test.each([
    { rules: "examples/ci/ipv6/rules.v6", failed: [] },
    { rules: "examples/ci/ipv6/rules-ssh-open.v6", failed: ["ssh on the router is closed to the internet", "the router's own services are unchanged"] },
  ])(
    "examples/ci/ipv6/expectations.yaml on $rules",
    async ({ rules, failed: expected }) => {
      const { failed, sent } = await sendReport(lab, "examples/ci/ipv6/expectations.yaml", rules);
      expect(failed).toEqual(expected);
      expect(sent).toBeGreaterThanOrEqual(6);
    },
    300_000,
  );
});
