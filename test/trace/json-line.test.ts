/**
 * traceJsonLine writes a trace's JSON itself (src/trace/json-line.ts): it must be exactly the
 * text JSON.stringify gives of the trace, with every character beyond ASCII escaped.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseAssumptions, parsePacketSpec, parseRuleset, trace, traceJsonLine, type ConnectionPacket, type Ruleset, type TraceJson } from "../../src/index.js";
import { packetCase, rulesetText } from "../arbitraries/ruleset.js";
import { example } from "../helpers/example.js";

/** What the command printed before traceJsonLine: JSON.stringify, then each non-ASCII UTF-16 unit as \uXXXX. */
const expected = (value: unknown): string => JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const docker = example("docker-host");

function loaded(text: string): Ruleset {
  const r = parseRuleset(text, { file: "rules", family: "ipv4" });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.ruleset;
}

describe("traceJsonLine is JSON.stringify of the trace, all ASCII", () => {
  test("random rulesets and packets, every kind of connection packet, unknown matches followed or pinned", () => {
    const knownOrigin = packetCase.filter((c) => "local" in c.origin || docker.host.interfaces.some((i) => i.name === (c.origin as { in: string }).in));
    fc.assert(
      fc.property(
        rulesetText,
        fc.array(knownOrigin, { minLength: 1, maxLength: 4 }),
        fc.constantFrom<ConnectionPacket>("first", "established", "reply"),
        fc.boolean(),
        (text, cases, connection, pin) => {
          const ruleset = loaded(text);
          const assumptions = parseAssumptions(pin ? ["statistic=match", "limit=nomatch"] : []);
          if (!assumptions.ok) throw new Error(assumptions.message);
          for (const { spec, origin } of cases) {
            const parsed = parsePacketSpec(spec);
            if (!parsed.ok) throw new Error(parsed.message);
            const from = "local" in origin ? ({ local: true } as const) : { interface: origin.in };
            const result = trace(ruleset, docker.host, parsed.packet, { from, connection, assume: assumptions.assume });
            // Twice: the second line is written from the rule steps' kept texts.
            expect(traceJsonLine(result)).toBe(expected(result));
            expect(traceJsonLine(result)).toBe(expected(result));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test("the Docker and kube-proxy examples, with NAT, MARK's arrow and random choices", () => {
    const kube = example("kube-node");
    const cases: [Ruleset, typeof docker.host, string, { interface: string } | { local: true }][] = [
      [loaded(docker.read("rules.v4")), docker.host, "tcp 203.0.113.7:40000 -> 10.99.0.1:8080 [flags SYN]", { interface: "eth0" }],
      [loaded(docker.read("rules.v4")), docker.host, "tcp 172.17.0.2:40000 -> 203.0.113.7:443 [flags SYN]", { interface: "docker0" }],
      [loaded(kube.read("rules.v4")), kube.host, "tcp 203.0.113.9:40000 -> 192.168.1.10:30080 [flags SYN]", { interface: "eth0" }],
      [loaded(kube.read("rules.v4")), kube.host, "udp 10.244.0.5:40000 -> 10.96.0.10:53", { interface: "cni0" }],
    ];
    const lines: string[] = [];
    for (const [ruleset, host, spec, from] of cases) {
      const parsed = parsePacketSpec(spec);
      if (!parsed.ok) throw new Error(parsed.message);
      const result = trace(ruleset, host, parsed.packet, { from });
      expect(traceJsonLine(result)).toBe(expected(result));
      lines.push(traceJsonLine(result));
    }
    // What these cases are for: an arrow escaped, a trace with branches.
    expect(lines.some((l) => l.includes("\\u2192"))).toBe(true);
    expect(lines.some((l) => l.includes('"branches":[{'))).toBe(true);
  });

  test("strings that need escaping: quotes, backslashes, control characters, wide and astral characters, lone surrogates; numbers JSON writes as null", () => {
    const odd = 'a"b\\c\n\t\u0001\u007f é → 😀 \ud800 end';
    const packet = { proto: "tcp", src: "10.0.0.1", dst: "10.0.0.2", sport: 1, dport: null };
    const trace: TraceJson = {
      packet,
      ingress: { interface: odd },
      outcome: "undetermined",
      reason: odd,
      egress: { interface: odd, packet: { proto: "icmp", src: "::1", dst: odd, type: 8, code: 0 } },
      delivered: { packet: { proto: "47", src: "a", dst: "b" } },
      steps: [
        { hook: "PREROUTING", table: "nat", chain: odd, type: "rule", rule: 1, line: 2, target: odd },
        { hook: "PREROUTING", table: "nat", chain: odd, type: "rule", rule: 3, line: 4 },
        { hook: "INPUT", table: "filter", chain: "INPUT", type: "policy", policy: "DROP" },
        { type: "unknown", hook: "INPUT", table: "filter", chain: odd, rule: 1, line: 9, reason: odd, assumed: "no match", probability: Number.NaN, pinned: true },
        { type: "unknown", hook: "INPUT", table: "filter", chain: "X", rule: 1, line: 9, reason: "r", assumed: "match", probability: undefined, pinned: undefined },
        { type: "route", decision: "drop", dropped: "martian-source", detail: odd },
        { type: "route", decision: "forward", interface: odd, detail: "d" },
        { type: "conntrack", hook: "OUTPUT", state: "NEW", detail: odd },
        { type: "nat", hook: "OUTPUT", kind: "dnat", before: odd, after: odd, detail: odd },
        { type: "nat", hook: "OUTPUT", kind: "snat", before: "b", after: "a", detail: undefined },
        { type: "effect", hook: "OUTPUT", table: "mangle", chain: odd, rule: 2, detail: odd },
        { type: "note", detail: odd },
      ],
      branches: [
        { outcome: "dropped", reason: odd, probability: 0.1 + 0.2, egress: undefined, delivered: undefined, steps: [] },
        { outcome: "sent", reason: "r", probability: Number.POSITIVE_INFINITY, egress: { interface: "eth0", packet }, delivered: undefined, steps: [{ type: "note", detail: "n" }] },
        { outcome: "delivered", reason: "r", probability: undefined, egress: undefined, delivered: { packet }, steps: [] },
      ],
    };
    const line = traceJsonLine(trace);
    expect(line).toBe(expected(trace));
    expect(line).toMatch(/^[\x20-\x7f]*$/);
    expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(trace)));
    expect(traceJsonLine({ ...trace, ingress: { local: true }, egress: undefined, delivered: undefined, branches: undefined })).toBe(
      expected({ ...trace, ingress: { local: true }, egress: undefined, delivered: undefined, branches: undefined }),
    );
  });
});
