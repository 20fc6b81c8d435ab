/**
 * What the engine saw (Branch.seen), recorded only when a trace asks for it: the environment
 * each table's walk began with and each rule or policy step was taken with, as typed values.
 * `why` reads these instead of rebuilding the environment; a plain trace records nothing and
 * its steps are the same either way.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { tracePacket, type TraceRequest } from "../../src/engine/pipeline.js";
import { formatAddress, loadHost, parsePacketSpec, parseRuleset } from "../../src/index.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const read = (f: string) => readFileSync(join(dir, f), "utf8");

function request(rules: string, packet: string): TraceRequest {
  const ruleset = parseRuleset(rules, { file: "rules", family: "ipv4" });
  const host = loadHost({ addr: read("ip-addr.json"), route: read("ip-route.json") });
  const parsed = parsePacketSpec(packet);
  if (!ruleset.ok || !host.ok || !parsed.ok) throw new Error("bad case");
  return { ruleset: ruleset.ruleset, host: host.value, packet: parsed.packet, ingress: { kind: "interface", name: "eth0" } };
}

const blocked = request(read("rules-docker-user.v4"), "tcp 10.99.0.2:40000 -> 10.99.0.1:8080");

test("a plain trace records nothing; a recording one takes the same steps", () => {
  const plain = tracePacket(blocked);
  const recorded = tracePacket({ ...blocked, record: true });
  expect(plain.branches.every((b) => b.seen === undefined)).toBe(true);
  expect(recorded.branches.map((b) => b.steps)).toEqual(plain.branches.map((b) => b.steps));
  expect(recorded.branches[0]!.seen!.length).toBeGreaterThan(0);
});

test("the deciding step is recorded with the environment it was taken with: after DNAT, routed to the container", () => {
  const branch = tracePacket({ ...blocked, record: true }).branches[0]!;
  const last = branch.steps.at(-1)!;
  expect(last).toMatchObject({ type: "rule", table: "filter", chain: "DOCKER-USER", target: "DROP" });
  const decided = branch.seen!.find((s) => s.step === last)!;
  expect(decided.env.hook).toBe("FORWARD");
  expect([formatAddress(decided.env.packet.dst), decided.env.inInterface, decided.env.outInterface]).toEqual(["172.17.0.2", "eth0", "docker0"]);
  // The connection remembers the published port the client asked for.
  expect(decided.env.conntrack.state).toBe("NEW");
  expect(decided.env.conntrack.original?.dport).toBe(8080);
});

test("each table's walk is recorded as it began: nat PREROUTING saw the packet before DNAT", () => {
  const seen = tracePacket({ ...blocked, record: true }).branches[0]!.seen!;
  const nat = seen.find((s) => s.step === undefined && s.hook === "PREROUTING" && s.table === "nat")!;
  expect([formatAddress(nat.env.packet.dst), nat.env.outInterface, nat.env.conntrack.state]).toEqual(["10.99.0.1", undefined, "NEW"]);
  const raw = seen.find((s) => s.step === undefined && s.hook === "PREROUTING" && s.table === "raw")!;
  // Before conntrack runs (after raw) the packet has no entry.
  expect(raw.env.conntrack.state).toBe("INVALID");
  expect(seen.filter((s) => s.step !== undefined).map((s) => s.step)).toEqual(tracePacket({ ...blocked, record: true }).branches[0]!.steps.filter((s) => s.type === "rule" || s.type === "policy"));
});

describe("each rule the walk passes over is recorded with the part that failed first, as the kernel tests them", () => {
  const rules = [
    "*filter",
    ":INPUT DROP [0:0]",
    "-A INPUT -s 192.0.2.1/32 -p tcp -m tcp --dport 22 -j ACCEPT",
    "-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate ESTABLISHED -j ACCEPT",
    "-A INPUT -p tcp -m tcp --dport 23 -m conntrack --ctstate ESTABLISHED -j ACCEPT",
    "-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT",
    "COMMIT",
    "",
  ].join("\n");
  const ssh = request(rules, "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
  const passed = (r: TraceRequest) =>
    tracePacket(r)
      .branches[0]!.seen!.filter((s) => s.passed)
      .map((s) => [s.passed!.rule.number, s.passed!.failed]);

  test("a header field failing records the header; a rule failing on its second match records index 1; the first failure wins", () => {
    expect(passed({ ...ssh, record: true })).toEqual([
      [1, { header: true }],
      [2, { match: 1 }],
      [3, { match: 0 }],
    ]);
  });

  test("the rule that matched is a step, not a passed rule, and was tested with the same environment", () => {
    const seen = tracePacket({ ...ssh, record: true }).branches[0]!.seen!;
    const taken = seen.find((s) => s.step?.type === "rule")!;
    expect(taken.step).toMatchObject({ chain: "INPUT", rule: 4, target: "ACCEPT" });
    expect(taken.passed).toBeUndefined();
    expect(seen.filter((s) => s.passed).every((s) => s.env === taken.env)).toBe(true);
  });

  test("a plain trace records no passed rule", () => {
    expect(tracePacket(ssh).branches[0]!.seen).toBeUndefined();
  });
});
