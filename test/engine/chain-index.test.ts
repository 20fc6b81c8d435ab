/**
 * The chain index (src/engine/chain-index.ts) only skips rules that cannot
 * match, so a walk with it takes exactly the steps of the rule-by-rule walk:
 * checked on a kube-proxy batch like the benchmark's and on random long
 * chains that mix what the index files (-d ADDR/32, -m tcp/udp --dport N)
 * with what it must not (ranges, negations, other matches, effects, forks).
 */
import fc from "fast-check";
import { describe, expect, test, vi } from "vitest";
import { generateBatch } from "../../bench/gen-batch.js";
import { generate } from "../../bench/gen-kube-proxy.js";
import { chainIndex } from "../../src/engine/chain-index.js";
import { tracePacket as indexedTrace, type TraceRequest } from "../../src/engine/pipeline.js";
import { defaultHost, type Host } from "../../src/host/index.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { traceJson } from "../../src/trace/json.js";

/** The same pipeline in a fresh module graph whose walk has no chain index. */
async function linearPipeline(): Promise<typeof indexedTrace> {
  vi.resetModules();
  vi.doMock("../../src/engine/chain-index.js", () => ({ chainIndex: () => null, nextCandidate: () => expect.fail("no index, no candidates") }));
  const { tracePacket } = await import("../../src/engine/pipeline.js");
  vi.doUnmock("../../src/engine/chain-index.js");
  return tracePacket;
}

const linearTrace = await linearPipeline();

function load(text: string): Ruleset {
  const r = parseRuleset(text, { file: "rules.v4", family: "ipv4" });
  return r.ok ? r.ruleset : expect.fail(r.diagnostics.map((d) => `${d.span?.line}: ${d.message}`).join("\n"));
}

interface Job {
  readonly packet: string;
  readonly in?: string;
  readonly local?: true;
}

function request(ruleset: Ruleset, host: Host, job: Job): TraceRequest {
  const parsed = parsePacketSpec(job.packet);
  if (!parsed.ok) throw new Error(parsed.message);
  return { ruleset, host, packet: parsed.packet, ingress: job.local ? { kind: "local" } : { kind: "interface", name: job.in! } };
}

/** Both walks' traces of the job, as the JSON the command prints. */
function bothWays(ruleset: Ruleset, host: Host, job: Job): { indexed: object; linear: object } {
  const r = request(ruleset, host, job);
  return { indexed: traceJson(indexedTrace(r)), linear: traceJson(linearTrace(r)) };
}

describe("the chain index gives the steps of the rule-by-rule walk", () => {
  test("on a kube-proxy node: ClusterIPs, NodePorts, closed ports, from pods and from the node", () => {
    const dump = generate({ services: 600, endpoints: 2 }).text;
    const ruleset = load(dump);
    const host = defaultHost(ruleset);
    const jobs = generateBatch(dump, { packets: 400 })
      .text.trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Job);
    let forked = 0;
    for (const job of jobs) {
      const { indexed, linear } = bothWays(ruleset, host, job);
      expect(indexed, job.packet).toEqual(linear);
      if ((indexed as { branches?: unknown }).branches !== undefined) forked++;
    }
    // The batch meets the random endpoint choice (forks) as well as single-way traces.
    expect(forked).toBeGreaterThan(50);
    expect(forked).toBeLessThan(jobs.length);
  });

  const address = fc.constantFrom("10.0.0.1", "10.0.0.2", "10.0.0.3", "192.0.2.9");
  const port = fc.constantFrom(53, 80, 443, 8080);
  const target = fc.constantFrom("-j ACCEPT", "-j DROP", "-j RETURN", "-j SIDE", "-g SIDE", "-j MARK --set-xmark 0x1/0xffffffff", "");
  const rule = fc
    .tuple(
      fc.oneof(
        // Mostly what the index files, so that most chains get one.
        { arbitrary: address.map((a) => `-d ${a}/32`), weight: 4 },
        address.map((a) => `! -d ${a}/32`),
        fc.constant("-d 10.0.0.0/24"),
        fc.constant(""),
      ),
      fc.oneof(
        { arbitrary: port.map((p) => `-p tcp -m tcp --dport ${p}`), weight: 3 },
        { arbitrary: port.map((p) => `-p udp -m udp --dport ${p}`), weight: 2 },
        port.map((p) => `-p tcp -m tcp ! --dport ${p}`),
        port.map((p) => `-p tcp -m tcp --sport ${p}`),
        port.map((p) => `-p udp -m udp --sport ${p} --dport ${p}`),
        fc.constant("-p tcp -m tcp --dport 80:443"),
        fc.constant("-p tcp -m multiport --dports 53,80"),
        fc.constant("-p tcp"),
        fc.constant("-m mark --mark 0x1"),
        fc.constant(""),
      ),
      fc.constantFrom("", "-m statistic --mode random --probability 0.50000000000", "-m comment --comment c"),
      target,
    )
    .map((parts) => `-A LONG ${parts.filter(Boolean).join(" ")}`.trimEnd());

  const packet = fc
    .tuple(fc.constantFrom("tcp", "udp", "icmp"), address, port)
    .map(([proto, dst, dport]) => (proto === "icmp" ? `icmp 203.0.113.7 -> ${dst} [type echo-request]` : `${proto} 203.0.113.7:40000 -> ${dst}:${dport}`));

  test("on random long chains", () => {
    const host = defaultHost(load("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n"));
    let withIndex = 0;
    fc.assert(
      fc.property(fc.array(rule, { minLength: 16, maxLength: 80 }), fc.array(packet, { minLength: 1, maxLength: 8 }), (rules, packets) => {
        // Rules with MARK go in mangle, where both walks see the mark change the -m mark rules after them.
        const text = [
          "*mangle",
          ":PREROUTING ACCEPT [0:0]",
          ":LONG - [0:0]",
          ":SIDE - [0:0]",
          "-A PREROUTING -j LONG",
          "-A PREROUTING -m mark --mark 0x1 -j DROP",
          ...rules,
          "-A SIDE -p udp -j RETURN",
          "-A SIDE -j ACCEPT",
          "COMMIT",
          "",
        ].join("\n");
        const ruleset = load(text);
        if (chainIndex(ruleset.tablesByName.get("mangle")!.chainsByName.get("LONG")!)) withIndex++;
        for (const p of packets) {
          const { indexed, linear } = bothWays(ruleset, host, { packet: p, in: "eth0" });
          expect(indexed).toEqual(linear);
        }
      }),
      { numRuns: 300 },
    );
    expect(withIndex).toBeGreaterThan(150);
  });
});
