/**
 * check() on ip6tables-save dumps agrees with the concrete engine. Random dumps
 * (test/arbitraries' rulesetText6, written for V6_HOST's topology) on the IPv6
 * router of examples/ci/ipv6 (that topology, read from a namespace) with random
 * expectations: every broken part's example, traced, is treated as the report
 * says and breaks the expectation; a passing expectation's example traces as
 * expected; a packet of the set (random ones in it, and packetCase6's with its
 * fixed fields) breaks the expectation exactly when it lies in a broken part. A no-change's
 * counter-examples, traced with each dump, are treated as its differences say.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  check,
  EXPECTED_OUTCOMES,
  examplePoint,
  formatAddress,
  packetSets,
  packetText,
  parseOutcomeSpec,
  parsePacketSet,
  parsePacketSpec,
  parseRuleset,
  trace,
  type Expectation,
  type ExpectationResult,
  type Ingress,
  type Ruleset,
  type TraceResult,
  type Treatment,
} from "../../src/index.js";
import { example } from "../helpers/example.js";
import { rewrittenAddress } from "../../src/check/outcome.js";
import { pointOf } from "../../src/sets/text.js";
import { endHeader, tracedHas } from "../helpers/traced-outcome.js";
import { packetCase6, rulesetText6, V6_HOST } from "../arbitraries/ruleset.js";

const { read, host } = example("ci/ipv6");
const where = { file: "expectations.yaml", line: 1, column: 1 };

function rules(text: string): Ruleset {
  const r = parseRuleset(text, { file: "rules.v6", family: "ipv6" });
  if (!r.ok) throw new Error(`an ip6tables dump:\n${text}`);
  return r.ruleset;
}

const ingressOf = (origin: { in: string } | { local: true }): Ingress => ("local" in origin ? { kind: "local" } : { kind: "interface", name: origin.in });

function traced(ruleset: Ruleset, ingress: Ingress, packetText: string): TraceResult {
  const packet = parsePacketSpec(packetText);
  if (!packet.ok) throw new Error(packet.message);
  return trace(ruleset, host, packet.packet, { from: ingress.kind === "local" ? { local: true } : { interface: ingress.name } });
}

/** The trace gives the treatment: outcome, egress interface, and the addresses and ports NAT set. */
function expectTreatedSo(t: TraceResult, treatment: Treatment, what: string): void {
  expect(t.outcome, what).toBe(treatment.outcome);
  expect(t.egress?.interface, what).toBe(treatment.interface);
  const h = endHeader(t);
  for (const field of ["src", "dst"] as const) {
    const address = rewrittenAddress(treatment, "ipv6", field);
    if (address) expect(h?.[field], what).toBe(formatAddress(address));
  }
  const [, , , sport, dport] = treatment.rewrite;
  if (sport !== undefined) expect(h?.sport, what).toBe(sport);
  if (dport !== undefined) expect(h?.dport, what).toBe(dport);
}

const { hostAddresses, peerAddresses } = V6_HOST;
const addresses = fc.constantFrom("any", ...hostAddresses, ...peerAddresses, "fd00:1::/64", "fd00:2::/64", "2001:db8::/32", "fd00:2::2-fd00:2::9", "fd00:1::1,fd00:2::1");
/** A PACKETSET of IPv6 packets over V6_HOST's addresses, with the fixed fields trace gives (SYN, echo request). */
const packetSet = fc
  .record({
    proto: fc.constantFrom("tcp", "udp", "icmpv6", "tcp,udp", "any", "1", "1,icmpv6"),
    src: addresses,
    dst: addresses,
    dport: fc.constantFrom(undefined, "22", "80,8080", "1-1024"),
  })
  .map(({ proto, src, dst, dport }) => `${proto} ${src} -> ${dport === undefined ? dst : `[${dst}]:${dport}`}`);
/** An outcome phrase: any outcome, `not`, `via`, and NAT addresses of the dumps' DNAT and SNAT. */
const phrase = fc
  .record({
    not: fc.boolean(),
    outcome: fc.constantFrom(...EXPECTED_OUTCOMES),
    via: fc.constantFrom(undefined, "eth0", "eth1"),
    natTo: fc.constantFrom(undefined, "fd00:2::2", "[fd00:2::9]:8080", "fd00:1::1"),
    natFrom: fc.constantFrom(undefined, "fd00:1::1"),
  })
  .map(({ not, outcome, via, natTo, natFrom }) => {
    const nat = natTo || natFrom ? ` after NAT${natFrom ? ` from ${natFrom}` : ""}${natTo ? ` to ${natTo}` : ""}` : "";
    return `${not ? "not " : ""}${outcome}${via ? ` via ${via}` : ""}${nat}`;
  })
  .filter((text) => parseOutcomeSpec(text, "ipv6").ok);
const origin = fc.constantFrom<Ingress>({ kind: "interface", name: "eth0" }, { kind: "interface", name: "eth1" }, { kind: "local" });
/** packetCase6's packets with the fixed fields of a PACKETSET that sets none: a SYN, an echo request, next header 1. */
const firstPackets = packetCase6.filter((c) => c.spec.includes("[flags SYN]") || c.spec.startsWith("udp") || c.spec.endsWith("[type 128]") || c.spec.startsWith("1 "));
/** Choices that pick a point of a set: a box, then in each field a range and a value, an end of the range half the time (prefix and port edges). */
const pointChoices = fc.array(fc.nat(), { minLength: 1 + 11 * 3, maxLength: 1 + 11 * 3 });

function pointIn(set: packetSets.PacketSet, choices: readonly number[]): packetSets.Point {
  const box = packetSets.padBox(set[choices[0]! % set.length]!, 11);
  return box.map((list, i) => {
    const [pick, end, offset] = choices.slice(1 + i * 3, 4 + i * 3) as [number, number, number];
    const k = (pick % (list.length / 2)) * 2;
    const [lo, hi] = [list[k]!, list[k + 1]!];
    return end % 4 === 0 ? lo : end % 4 === 1 ? hi : lo + (offset % (hi - lo + 1));
  });
}

function outcomeExpectation(setText: string, phraseText: string, ingress: Ingress): Extract<Expectation, { kind: "outcome" }> {
  const query = parsePacketSet(setText, "ipv6");
  const spec = parseOutcomeSpec(phraseText, "ipv6");
  if (!query.ok || !spec.ok) throw new Error(`${setText} / ${phraseText}`);
  return { kind: "outcome", name: phraseText, where, packets: { ingress, query: query.query, text: setText }, expect: spec.spec };
}

describe("IPv6 outcome expectations agree with trace", () => {
  test("broken parts' examples break it as the report says; a pass's example holds; a packet of the set breaks it exactly when it lies in a broken part", () => {
    fc.assert(
      fc.property(
        rulesetText6,
        fc.array(fc.tuple(packetSet, phrase, origin), { minLength: 1, maxLength: 3 }),
        fc.array(firstPackets, { maxLength: 12 }),
        fc.array(pointChoices, { minLength: 4, maxLength: 8 }),
        (text, cases, packets, choices) => {
          const ruleset = rules(text);
          const expectations = cases.map(([s, p, o]) => outcomeExpectation(s, p, o));
          const report = check({ ruleset, host, expectations });
          report.results.forEach((r: ExpectationResult, i) => {
            const e = expectations[i]!;
            if (r.kind !== "outcome") throw new Error("an outcome result");
            const context = `${e.packets.text} ${JSON.stringify(e.packets.ingress)}: ${e.name}\n${text}`;
            expect(r.family).toBe("ipv6");
            expect(r.status === "fail").toBe(r.broken.length > 0);
            if (r.counterExample) expect(r.counterExample.packet).toBe(r.broken[0]!.example);
            for (const part of r.broken) {
              const t = traced(ruleset, e.packets.ingress, part.example);
              expectTreatedSo(t, part.treatment, `${part.example}\n${context}`);
              expect(tracedHas(t, e.expect), `${part.example}\n${context}`).toBe(e.expect.negated);
            }
            if (r.status === "pass") {
              const example = packetText(examplePoint(e.packets.query.set, "ipv6"), e.packets.query.fixed);
              const t = traced(ruleset, e.packets.ingress, example);
              if (t.outcome !== "undetermined") expect(tracedHas(t, e.expect), `${example}\n${context}`).toBe(!e.expect.negated);
            }
            const { query, ingress } = e.packets;
            const inSet = choices.map((c) => packetText(pointIn(query.set, c), query.fixed));
            const matching = packets.filter((c) => sameOrigin(ingressOf(c.origin), ingress)).map((c) => c.spec);
            for (const spec of [...inSet, ...matching]) {
              const parsed = parsePacketSpec(spec);
              if (!parsed.ok) throw new Error(spec);
              const point = pointOf(parsed.packet);
              if (!packetSets.containsPoint(query.set, point)) continue;
              // Where reach cannot decide, check claims nothing.
              if (r.undetermined.some((u) => packetSets.containsPoint(u.set, point))) continue;
              const t = traced(ruleset, ingress, spec);
              const inBroken = r.broken.some((part) => packetSets.containsPoint(part.set, point));
              if (t.outcome === "undetermined") expect(inBroken, `${spec}\n${context}`).toBe(false);
              else expect(inBroken, `${spec}: ${t.outcome} ${t.egress?.interface ?? ""}\n${context}`).toBe(tracedHas(t, e.expect) === e.expect.negated);
            }
          });
        },
      ),
      { numRuns: 25 },
    );
  }, 300_000);
});

function sameOrigin(a: Ingress, b: Ingress): boolean {
  return a.kind === "local" ? b.kind === "local" : b.kind === "interface" && a.name === b.name;
}

describe("IPv6 no-change expectations agree with trace", () => {
  const allowed = parsePacketSet("tcp any -> any:22", "ipv6");
  if (!allowed.ok) throw new Error(allowed.message);
  test("identical dumps pass; each difference's example, traced with each dump, is treated as it says, and none lies in the allowed packets", () => {
    fc.assert(
      fc.property(rulesetText6, rulesetText6, fc.boolean(), (a, b, allow) => {
        const before = rules(a);
        const after = rules(b);
        const noChange = (now: Ruleset): ExpectationResult => {
          const e: Expectation = { kind: "no-change", name: "no change", where, before, allow: allow ? [{ set: allowed.query.set }] : [] };
          return check({ ruleset: now, host, expectations: [e] }).results[0]!;
        };
        expect(noChange(before).status).toBe("pass");
        const r = noChange(after);
        if (r.kind !== "no-change") throw new Error("a no-change result");
        for (const d of r.broken) {
          if (allow) expect(packetSets.isEmpty(packetSets.intersect(d.set, allowed.query.set))).toBe(true);
          for (const [ruleset, treatment] of [
            [before, d.before],
            [after, d.after],
          ] as const) {
            if (treatment.outcome === "undetermined") continue;
            expectTreatedSo(traced(ruleset, d.ingress, d.example), treatment, `${d.example} ${JSON.stringify(d.ingress)}\n${a}\n---\n${b}`);
          }
        }
        const determined = r.broken.filter((d) => d.before.outcome !== "undetermined" && d.after.outcome !== "undetermined");
        expect(r.status === "fail").toBe(determined.length > 0);
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});

describe("IPv6 addresses after NAT, on the router of examples/ci/ipv6 (port 8080 DNATed to [fd00:2::2]:80) with MASQUERADE out of eth0", () => {
  const ruleset = rules(read("rules.v6").replace("-A PREROUTING", "-A POSTROUTING -o eth0 -j MASQUERADE\n-A PREROUTING"));
  const eth0: Ingress = { kind: "interface", name: "eth0" };
  const eth1: Ingress = { kind: "interface", name: "eth1" };
  const sources = ["2001:db8::7", "fd00:1::2"];
  const destinations = ["fd00:1::1", "fd00:2::2", "fd00:2::9"];
  const ports = [22, 80, 8080];
  const cases: [Ingress, string, string][] = [
    [eth0, "tcp 2001:db8::7,fd00:1::2 -> [fd00:1::1,fd00:2::2,fd00:2::9]:22,80,8080", "forwarded via eth1 after NAT to [fd00:2::2]:80"],
    [eth0, "tcp 2001:db8::7,fd00:1::2 -> [fd00:1::1,fd00:2::2,fd00:2::9]:22,80,8080", "reaches after NAT to fd00:2::2"],
    [eth0, "tcp 2001:db8::7,fd00:1::2 -> [fd00:1::1,fd00:2::2,fd00:2::9]:22,80,8080", "not forwarded after NAT to [fd00:2::9]:80"],
    [eth0, "tcp 2001:db8::7,fd00:1::2 -> [fd00:1::1,fd00:2::2,fd00:2::9]:22,80,8080", "forwarded after NAT to [fd00:2::2]:8080"],
    [eth1, "tcp fd00:2::2,fd00:2::9 -> [2001:db8::7,fd00:1::2,fd00:1::1]:22,80,8080", "forwarded via eth0 after NAT from fd00:1::1"],
    [eth1, "tcp fd00:2::2,fd00:2::9 -> [2001:db8::7,fd00:1::2,fd00:1::1]:22,80,8080", "not reaches after NAT from [fd00:2::2]:80"],
  ];
  test.each(cases)("%o %s: %s — a packet breaks it exactly when trace does not treat it so; the report says how", (ingress, setText, phraseText) => {
    const e = outcomeExpectation(setText, phraseText, ingress);
    const r = check({ ruleset, host, expectations: [e] }).results[0]!;
    if (r.kind !== "outcome") throw new Error("an outcome result");
    const [from, to] = ingress.kind === "interface" && ingress.name === "eth1" ? [destinations.slice(1), [...sources, "fd00:1::1"]] : [sources, destinations];
    let breaking = 0;
    for (const s of from)
      for (const d of to)
        for (const port of ports) {
          const spec = `tcp [${s}]:40000 -> [${d}]:${port} [flags SYN]`;
          const parsed = parsePacketSpec(spec);
          if (!parsed.ok) throw new Error(spec);
          const t = traced(ruleset, ingress, spec);
          const breaks = tracedHas(t, e.expect) === e.expect.negated;
          const part = r.broken.find((p) => packetSets.containsPoint(p.set, pointOf(parsed.packet)));
          expect(part !== undefined, `${spec}: ${t.outcome} ${t.egress?.interface ?? ""} ${JSON.stringify(endHeader(t))}`).toBe(breaks);
          if (part) expectTreatedSo(t, part.treatment, spec);
          if (breaks) breaking++;
        }
    expect(r.status).toBe(breaking > 0 ? "fail" : "pass");
  });
});
