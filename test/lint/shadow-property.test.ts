/**
 * lint's "never matches" findings (NF101 shadowed, NF102 after a catch-all) and its
 * redundant rules (NF103: taking the rule out changes no packet's treatment) checked
 * against the concrete engine: for random rulesets and random packets (first packets,
 * later ones and replies, from every interface and the host), no branch of any trace
 * counts a rule lint says no packet reaches. A packet that would match it is decided
 * before, by an earlier rule. The rulesets come from the shared arbitraries (MARK,
 * CONNMARK, conntrack state, jumps, gotos, RETURN) and from a generator that makes
 * overlapping rules often, so shadowing is common.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { tracePacket, type ConnectionPacket, type Ingress } from "../../src/engine/pipeline.js";
import { example } from "../helpers/example.js";
import { lint } from "../../src/lint/lint.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import { packetCase, rulesetText } from "../arbitraries/ruleset.js";

const { host } = example("docker-host");

const knownOrigin = packetCase.filter((c) => "local" in c.origin || host.interfaces.some((i) => i.name === (c.origin as { in: string }).in));

/** Filter chains whose rules overlap often: few addresses, ports and states, every kind of verdict. */
const overlapping: fc.Arbitrary<string> = (() => {
  const condition = fc
    .record({
      src: fc.constantFrom("", "-s 10.99.0.0/24", "-s 10.99.0.2/32", "-s 0.0.0.0/1", "! -s 10.99.0.2/32"),
      iif: fc.constantFrom("", "", "-i eth0", "-i docker0", "-i br-+"),
      proto: fc.constantFrom("", "-p tcp", "-p tcp -m tcp --dport 22", "-p tcp -m tcp --dport 22:80", "-p udp -m udp --dport 53", "-p tcp -m multiport --dports 22,8080", "-p icmp"),
      extra: fc.constantFrom("", "", "-m conntrack --ctstate NEW", "-m conntrack --ctstate RELATED,ESTABLISHED", "-m mark --mark 0x1", "-m mark --mark 0x1", "-m limit --limit 5/sec"),
    })
    .map((c) => [c.src, c.iif, c.proto, c.extra].filter(Boolean).join(" "));
  const verdict = (calls: readonly string[]) =>
    fc.constantFrom(
      "-j ACCEPT",
      "-j DROP",
      "-j REJECT --reject-with icmp-port-unreachable",
      "-j RETURN",
      "-j LOG",
      "-j MARK --set-xmark 0x1/0xffffffff",
      "-j MARK --set-xmark 0x1/0xffffffff",
      ...calls.flatMap((c) => [`-j ${c}`, `-g ${c}`]),
    );
  // Rules draw their conditions from a few per ruleset, so that equal and nested conditions are common.
  const chain = (pool: readonly string[], name: string, calls: readonly string[]) =>
    fc
      .array(fc.tuple(fc.constantFrom(...pool), fc.constantFrom("", "", "-p tcp"), verdict(calls)), { maxLength: 7 })
      .map((rules) => rules.map(([c, p, v]) => `-A ${name} ${[c.startsWith("-p") || c.includes(" -p ") ? c : [c, p].filter(Boolean).join(" "), v].filter(Boolean).join(" ")}`));
  return fc
    .uniqueArray(condition, { minLength: 1, maxLength: 4 })
    .chain((pool) =>
      fc
        .tuple(fc.constantFrom("ACCEPT", "DROP"), chain(pool, "INPUT", ["A", "B"]), chain(pool, "FORWARD", ["A", "B"]), chain(pool, "A", ["B"]), chain(pool, "B", []))
        .map(([policy, ...lists]) =>
          [
            "*mangle",
            ":INPUT ACCEPT [0:0]",
            "-A INPUT -p tcp -m tcp --dport 8080 -j MARK --set-xmark 0x1/0xffffffff",
            "COMMIT",
            "*filter",
            `:INPUT ${policy} [0:0]`,
            `:FORWARD ${policy} [0:0]`,
            ":OUTPUT ACCEPT [0:0]",
            ":A - [0:0]",
            ":B - [0:0]",
            ...lists.flat(),
            "COMMIT",
            "",
          ].join("\n"),
        ),
    );
})();

/** Packets the overlapping rules often match: their addresses, ports and interfaces. */
const nearPacket = fc.record({
  spec: fc
    .tuple(
      fc.constantFrom("tcp", "tcp", "udp", "icmp"),
      fc.constantFrom("10.99.0.2", "10.99.0.7", "203.0.113.7", "172.17.0.2"),
      fc.constantFrom("10.99.0.1", "172.17.0.2", "172.18.0.2"),
      fc.constantFrom(22, 53, 80, 8080),
      // Later fragments carry no ports: port matches never match them.
      fc.constantFrom("", "", "", " [frag 185]"),
    )
    .map(([proto, src, dst, port, frag]) => (proto === "icmp" ? `icmp ${src} -> ${dst} [type 8]${frag}` : `${proto} ${src}:40000 -> ${dst}:${port}${frag}`)),
  origin: fc.constantFrom<{ in: string }>({ in: "eth0" }, { in: "docker0" }, { in: "br-net1" }),
});

const CONNECTIONS: readonly ConnectionPacket[] = ["first", "established", "reply"];

let checked = 0;

function neverCounted(text: string, cases: readonly { spec: string; origin: { in: string } | { local: true } }[]): void {
  const loaded = parseRuleset(text, { file: "random", family: "ipv4" });
  if (!loaded.ok) throw new Error(text);
  const ruleset = loaded.ruleset;
  const never = lint(ruleset).findings.filter((f) => f.code === "NF101" || f.code === "NF102");
  if (never.length === 0) return;
  const lines = new Set(never.map((f) => f.location.line));
  for (const c of cases) {
    const parsed = parsePacketSpec(c.spec);
    if (!parsed.ok) throw new Error(c.spec);
    const ingress: Ingress = "local" in c.origin ? { kind: "local" } : { kind: "interface", name: c.origin.in };
    for (const connection of CONNECTIONS) {
      const trace = tracePacket({ ruleset, host, packet: parsed.packet, ingress, connection });
      for (const branch of trace.branches) {
        for (const step of branch.steps) {
          if (step.type === "rule") expect(lines.has(step.line), `line ${step.line} counted for ${c.spec} ${JSON.stringify(c.origin)} (${connection})\n${text}`).toBe(false);
        }
      }
    }
  }
  checked += never.length;
}

describe("a rule lint says never matches is never counted by the engine", () => {
  test("shared random rulesets", () => {
    fc.assert(fc.property(rulesetText, fc.array(knownOrigin, { minLength: 1, maxLength: 6 }), neverCounted), { numRuns: 150 });
  });
  test("rulesets with overlapping rules", () => {
    const before = checked;
    fc.assert(fc.property(overlapping, fc.array(nearPacket, { minLength: 4, maxLength: 10 }), neverCounted), { numRuns: 400 });
    // The property is only as good as the findings it met.
    expect(checked - before).toBeGreaterThan(50);
  });
});

let redundantChecked = 0;

/** What a trace says happens to a packet: every branch's outcome, egress and header after NAT. */
function treatment(trace: ReturnType<typeof tracePacket>): string {
  return JSON.stringify(trace.branches.map((b) => [b.outcome, b.egress ?? null, b.delivered ?? null, b.probability ?? null]));
}

/** A rule lint calls redundant (NF103) changes nothing: with it taken out, every packet is treated as before. */
function changesNothing(text: string, cases: readonly { spec: string; origin: { in: string } | { local: true } }[]): void {
  const loaded = parseRuleset(text, { file: "random", family: "ipv4" });
  if (!loaded.ok) throw new Error(text);
  const redundant = lint(loaded.ruleset).findings.filter((f) => f.code === "NF103");
  for (const f of redundant) {
    const lines = text.split("\n");
    const without = parseRuleset(lines.filter((_, i) => i + 1 !== f.location.line).join("\n"), { file: "random", family: "ipv4" });
    if (!without.ok) throw new Error(text);
    for (const c of cases) {
      const parsed = parsePacketSpec(c.spec);
      if (!parsed.ok) throw new Error(c.spec);
      const ingress: Ingress = "local" in c.origin ? { kind: "local" } : { kind: "interface", name: c.origin.in };
      for (const connection of CONNECTIONS) {
        const a = treatment(tracePacket({ ruleset: loaded.ruleset, host, packet: parsed.packet, ingress, connection }));
        const b = treatment(tracePacket({ ruleset: without.ruleset, host, packet: parsed.packet, ingress, connection }));
        expect(b, `without line ${f.location.line}: ${c.spec} ${JSON.stringify(c.origin)} (${connection})\n${text}`).toBe(a);
      }
    }
    redundantChecked++;
  }
}

describe("a rule lint calls redundant changes nothing for any packet", () => {
  test("rulesets with overlapping rules", () => {
    fc.assert(fc.property(overlapping, fc.array(nearPacket, { minLength: 4, maxLength: 10 }), changesNothing), { numRuns: 300 });
    expect(redundantChecked).toBeGreaterThan(20);
  });
});
