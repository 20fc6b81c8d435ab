/**
 * check() on the Docker host of examples/docker-host: every kind of
 * expectation holds, fails or stays undetermined where it should, and every
 * counter-example, traced packet by packet with trace(), is treated as the
 * report says and breaks the expectation.
 */
import { describe, expect, test } from "vitest";
import { tracedHas } from "../helpers/traced-outcome.js";
import {
  check,
  checkTestRun,
  githubReport,
  checkStatus,
  packetSets,
  outcomeSpecText,
  parseOutcomeSpec,
  parsePacketSet,
  parsePacketSpec,
  parseRuleset,
  trace,
  type Expectation,
  type ExpectationResult,
  type Ingress,
  type OutcomeSpec,
  type Ruleset,
  type TraceResult,
} from "../../src/index.js";
import { example } from "../helpers/example.js";

const { read, host } = example("docker-host");

function rules(text: string, file = "rules.v4"): Ruleset {
  const r = parseRuleset(text, { file, family: "ipv4" });
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.ruleset;
}

/** rules.v4 with lines added at the top of a chain of the filter table. */
function withFilterRules(chain: string, lines: readonly string[]): string {
  const text = read("rules.v4");
  const at = text.indexOf(`-A ${chain} `);
  return text.slice(0, at) + lines.map((l) => `${l}\n`).join("") + text.slice(at);
}

const DOCKER = rules(read("rules.v4"));
const DB_PUBLISHED = rules(read("rules-db-published.v4"), "rules-db-published.v4");
const REJECTING = rules(withFilterRules("FORWARD", ["-A INPUT -p tcp -m tcp --dport 23 -j REJECT --reject-with tcp-reset"]), "rejecting.v4");
/** A coin decides some forwarded packets: nfwalk cannot know which. */
const RANDOM = rules(withFilterRules("FORWARD", ["-A FORWARD -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.5 -j DROP"]), "random.v4");

const eth0: Ingress = { kind: "interface", name: "eth0" };
const docker0: Ingress = { kind: "interface", name: "docker0" };
const local: Ingress = { kind: "local" };
const where = { file: "expectations.yaml", line: 1, column: 1 };

function spec(text: string): OutcomeSpec {
  const r = parseOutcomeSpec(text);
  if (!r.ok) throw new Error(r.message);
  return r.spec;
}

function outcome(ruleset: Ruleset, ingress: Ingress, packets: string, expectText: string): ExpectationResult {
  const query = parsePacketSet(packets);
  if (!query.ok) throw new Error(query.message);
  const e: Expectation = { kind: "outcome", name: expectText, where, packets: { ingress, query: query.query, text: packets }, expect: spec(expectText) };
  return check({ ruleset, host, expectations: [e] }).results[0]!;
}

function traced(ruleset: Ruleset, ingress: Ingress, packetText: string): TraceResult {
  const packet = parsePacketSpec(packetText);
  if (!packet.ok) throw new Error(packet.message);
  return trace(ruleset, host, packet.packet, { from: ingress.kind === "local" ? { local: true } : { interface: ingress.name } });
}

/** The counter-example and an example of every broken part, traced: each is treated as its part says and breaks the expectation. */
function expectReproduced(ruleset: Ruleset, r: ExpectationResult): void {
  if (r.kind !== "outcome") throw new Error("an outcome expectation");
  expect(r.counterExample).toBeDefined();
  expect(r.broken[0]!.example).toBe(r.counterExample!.packet);
  for (const part of r.broken) {
    const t = traced(ruleset, r.packets.ingress, part.example);
    expect(t.outcome, part.example).toBe(part.treatment.outcome);
    if (part.treatment.interface !== undefined) expect(t.egress?.interface).toBe(part.treatment.interface);
    expect(tracedHas(t, r.expect), part.example).toBe(r.expect.negated);
  }
}

describe("outcome expectations", () => {
  const holding: [string, Ruleset, Ingress, string, string][] = [
    ["forwarded via, after NAT to", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:8080", "forwarded via docker0 after NAT to 172.17.0.2:80"],
    ["forwarded, after NAT from (masquerade)", DOCKER, docker0, "tcp,udp 172.17.0.2-172.17.255.254 -> 198.51.100.0/24", "forwarded via eth0 after NAT from 10.99.0.1"],
    ["delivered", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:22", "delivered"],
    ["reaches (delivered and forwarded together)", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:22,8080", "reaches"],
    ["reaches after NAT to (the header of packets NAT left alone counts)", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:22", "reaches after NAT to 10.99.0.1:22"],
    ["sent via", DOCKER, local, "udp 10.99.0.1 -> 198.51.100.0/24:53", "sent via eth0"],
    ["dropped", DOCKER, eth0, "tcp 203.0.113.0/24 -> 172.17.0.2", "dropped"],
    ["rejected", REJECTING, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:23", "rejected"],
    ["not-reachable takes rejected in", REJECTING, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:23", "not-reachable"],
    ["not-reachable takes dropped in", DOCKER, docker0, "any 172.17.0.0/16 -> 172.18.0.2-172.18.255.254", "not-reachable"],
    ["not forwarded via", DOCKER, eth0, "any any -> any", "not forwarded via br-net1"],
  ];
  test.each(holding)("holds: %s", (_, ruleset, ingress, packets, expectText) => {
    const r = outcome(ruleset, ingress, packets, expectText);
    expect(r.status, r.detail).toBe("pass");
    expect(r.counterExample).toBeUndefined();
    expect(r.broken).toEqual([]);
  });

  const failing: [string, Ruleset, Ingress, string, string][] = [
    ["forwarded: martian sources are dropped", DOCKER, eth0, "tcp any -> 10.99.0.1:8080", "forwarded via docker0"],
    ["via the wrong interface", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:8080", "forwarded via br-net1"],
    ["after NAT to the wrong port", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:8080", "forwarded via docker0 after NAT to 172.17.0.2:8080"],
    ["after NAT from a source NAT did not give", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:8080", "forwarded after NAT from 10.99.0.1"],
    ["delivered, but published ports are forwarded", DOCKER, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1", "delivered"],
    ["dropped is not rejected", REJECTING, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:23", "dropped"],
    ["rejected is not dropped", DOCKER, eth0, "tcp 203.0.113.0/24 -> 172.17.0.2", "rejected"],
    ["not-reachable", DB_PUBLISHED, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:5432", "not-reachable"],
    ["not forwarded via: the database published by mistake", DB_PUBLISHED, eth0, "any any -> any", "not forwarded via br-net1"],
    ["reaches: a loopback source DNATed away from the host is dropped", DB_PUBLISHED, local, "tcp 127.0.0.0/8 -> 10.99.0.1:5432", "reaches"],
    ["sent", DOCKER, local, "tcp 10.99.0.1 -> 10.99.0.1:8080,9090", "sent"],
  ];
  test.each(failing)("fails, with a counter-example trace reproduces: %s", (_, ruleset, ingress, packets, expectText) => {
    const r = outcome(ruleset, ingress, packets, expectText);
    expect(r.status, r.detail).toBe("fail");
    expectReproduced(ruleset, r);
    expect(r.message).toContain(r.counterExample!.packet);
    expect(r.detail).toContain(r.counterExample!.trace[0]);
  });

  test("the packets that break it are exactly those trace does not treat so (every point of a small set)", () => {
    const r = outcome(DB_PUBLISHED, eth0, "tcp 203.0.113.7 -> 10.99.0.1:5430-5434", "delivered");
    expect(r.status).toBe("fail");
    if (r.kind !== "outcome") throw new Error("outcome");
    const broken = packetSets.unionAll(r.broken.map((b) => b.set));
    for (let port = 5430; port <= 5434; port++) {
      const example = `tcp 203.0.113.7:40000 -> 10.99.0.1:${port}`;
      const t = traced(DB_PUBLISHED, eth0, example);
      expect(packetSets.containsPoint(broken, [6, 0xcb007107, 0x0a630001, 40000, port]), example).toBe(t.outcome !== "delivered");
    }
  });

  test("undetermined: nothing breaks it but a coin decides some packets; a packet that breaks it makes it fail", () => {
    const r = outcome(RANDOM, eth0, "tcp 203.0.113.0/24 -> 10.99.0.1:8080", "forwarded via docker0");
    expect(r.status).toBe("undetermined");
    expect(r.undetermined.length).toBe(1);
    expect(r.undetermined[0]!.reason).toContain("statistic");
    expect(traced(RANDOM, eth0, r.undetermined[0]!.example).outcome).toBe("undetermined");
    const mixed = outcome(RANDOM, eth0, "tcp any -> 10.99.0.1:8080", "forwarded via docker0");
    expect(mixed.status).toBe("fail");
    expect(mixed.undetermined.length).toBe(1);
    expectReproduced(RANDOM, mixed);
  });
});

describe("no-change expectations", () => {
  function noChange(before: Ruleset, after: Ruleset, allow: { ingress?: Ingress; packets: string }[] = []): ExpectationResult {
    const sets = allow.map((a) => {
      const q = parsePacketSet(a.packets);
      if (!q.ok) throw new Error(q.message);
      return { ...(a.ingress && { ingress: a.ingress }), set: q.query.set };
    });
    return check({ ruleset: after, host, expectations: [{ kind: "no-change", name: "n", where, before, allow: sets }] }).results[0]!;
  }

  test("holds for the same rules", () => {
    expect(noChange(DOCKER, DOCKER).status).toBe("pass");
  });

  test("fails on a change; the counter-example, traced with each dump, is treated as the difference says", () => {
    const r = noChange(DOCKER, DB_PUBLISHED);
    expect(r.status).toBe("fail");
    if (r.kind !== "no-change") throw new Error("no-change");
    const { packet, ingress } = r.counterExample!;
    const d = r.broken.find((b) => b.example === packet && JSON.stringify(b.ingress) === JSON.stringify(ingress))!;
    expect(traced(DOCKER, ingress, packet).outcome).toBe(d.before.outcome);
    expect(traced(DB_PUBLISHED, ingress, packet).outcome).toBe(d.after.outcome);
    expect(r.counterExample!.trace).toHaveLength(2);
  });

  test("holds when the change lies inside the allowed packets; fails when they are from another origin", () => {
    expect(noChange(DOCKER, DB_PUBLISHED, [{ packets: "tcp any -> any:5432" }]).status).toBe("pass");
    const elsewhere = noChange(DOCKER, DB_PUBLISHED, [{ ingress: eth0, packets: "tcp any -> any:5432" }]);
    expect(elsewhere.status).toBe("fail");
    if (elsewhere.kind !== "no-change") throw new Error("no-change");
    expect(elsewhere.broken.every((d) => d.ingress.kind !== "interface" || d.ingress.name !== "eth0")).toBe(true);
  });

  test("undetermined when the rules differ only where nfwalk cannot know", () => {
    const r = noChange(DOCKER, RANDOM);
    expect(r.status).toBe("undetermined");
    expect(r.undetermined.length).toBeGreaterThan(0);
  });
});

test("the report's status: fail over undetermined over pass; what nfwalk assumed", () => {
  const query = (text: string) => {
    const q = parsePacketSet(text);
    if (!q.ok) throw new Error(q.message);
    return q.query;
  };
  const e = (packets: string, expectText: string): Expectation => ({
    kind: "outcome",
    name: packets,
    where,
    packets: { ingress: eth0, query: query(packets), text: packets },
    expect: spec(expectText),
  });
  const pass = e("tcp 203.0.113.0/24 -> 10.99.0.1:8080", "forwarded");
  const unknown = e("tcp 203.0.113.0/24 -> 10.99.0.1:8080", "reaches");
  const fail = e("tcp 203.0.113.0/24 -> 10.99.0.1:22", "forwarded");
  expect(checkStatus(check({ ruleset: RANDOM, host, expectations: [pass] }))).toBe("undetermined");
  expect(checkStatus(check({ ruleset: DOCKER, host, expectations: [pass, unknown] }))).toBe("pass");
  expect(checkStatus(check({ ruleset: RANDOM, host, expectations: [unknown, fail] }))).toBe("fail");
  const report = check({ ruleset: DOCKER, host: { ...host, origin: { kind: "default", assumptions: ["eth0 is the uplink"] } }, expectations: [pass] });
  expect(report.assumed.join("\n")).toContain("eth0 is the uplink");
  expect(report.assumed.join("\n")).toContain("first of its connection");
});

test("outcome phrases: read back as written, refused with the place of the wrong word", () => {
  for (const text of ["reaches", "not delivered", "forwarded via docker0 after NAT from 10.99.0.1 to 172.17.0.2:80", "sent via eth0", "not-reachable", "rejected"]) {
    const r = parseOutcomeSpec(text);
    expect(r.ok, text).toBe(true);
  }
  expect(parseOutcomeSpec("forwarded via docker0 after NAT to 172.17.0.2:80x")).toMatchObject({ ok: false, at: 35 });
  expect(parseOutcomeSpec("delivered via eth0")).toMatchObject({ ok: false, at: 10, message: expect.stringContaining("forwarded and sent") });
  expect(parseOutcomeSpec("dropped after NAT to 10.0.0.1")).toMatchObject({ ok: false, at: 8 });
  expect(parseOutcomeSpec("deliverd")).toMatchObject({ ok: false, at: 0, length: 8 });
  expect(parseOutcomeSpec("not not-reachable")).toMatchObject({ ok: false, at: 4 });
  expect(parseOutcomeSpec("forwarded after NAT")).toMatchObject({ ok: false, message: expect.stringContaining("from ADDR") });
  expect(parseOutcomeSpec("forwarded to 10.0.0.1")).toMatchObject({ ok: false, at: 10 });
  // IPv6 after NAT: in brackets with a port, as in PACKET; with a family, an address of the other one is refused at its word.
  for (const text of ["forwarded via eth1 after NAT to [fd00:2::2]:80", "reaches after NAT from fd00:1::1 to fd00:2::2", "sent after NAT from [fd00:1::1]:40000"]) {
    const r = parseOutcomeSpec(text, "ipv6");
    expect(r.ok && outcomeSpecText(r.spec), text).toBe(text);
    expect(parseOutcomeSpec(text, "ipv4")).toMatchObject({ ok: false, message: expect.stringContaining("is an IPv6 address, and the rules are an iptables (IPv4) dump") });
  }
  expect(parseOutcomeSpec("reaches after NAT to 10.0.0.1", "ipv6")).toMatchObject({ ok: false, at: 21, length: 8 });
  expect(parseOutcomeSpec("reaches after NAT from 10.0.0.1 to fd00::1:80", "ipv6")).toMatchObject({ ok: false, at: 23, length: 8, message: expect.stringContaining("is an IPv4 address") });
  expect(parseOutcomeSpec("reaches after NAT to fd00::1:80")).toMatchObject({ ok: true, spec: { natTo: { address: { family: "ipv6" } } } });
  expect(parseOutcomeSpec("reaches after NAT to [fd00::1]:99999")).toMatchObject({ ok: false, message: "port 99999 is outside 0-65535" });
});

test("the report as a test run for the JUnit, TAP and GitHub renderers: one case an expectation, at its line", () => {
  const e = (name: string, line: number, packets: string, expectText: string): Expectation => {
    const query = parsePacketSet(packets);
    if (!query.ok) throw new Error(query.message);
    return { kind: "outcome", name, where: { file: "ci.yaml", line, column: 5 }, packets: { ingress: eth0, query: query.query, text: packets }, expect: spec(expectText) };
  };
  const report = check({
    ruleset: RANDOM,
    host,
    expectations: [
      e("ssh", 3, "tcp 203.0.113.0/24 -> 10.99.0.1:22", "delivered"),
      e("web", 8, "tcp 203.0.113.0/24 -> 10.99.0.1:22", "forwarded"),
      e("coin", 13, "tcp 203.0.113.0/24 -> 10.99.0.1:8080", "reaches"),
    ],
  });
  const run = checkTestRun(report, "ci.yaml");
  expect(run.suites).toHaveLength(1);
  const cases = run.suites[0]!.cases;
  expect(cases.map((c) => [c.name, c.status, c.location?.line, c.location?.column])).toEqual([
    ["ssh", "pass", 3, 5],
    ["web", "fail", 8, 5],
    ["coin", "undetermined", 13, 5],
  ]);
  const failed = cases[1]!;
  expect(failed.status === "fail" && failed.message).toBe(report.results[1]!.message);
  expect(failed.details).toBe(report.results[1]!.detail);
  expect(githubReport(run)).toContain("::error file=ci.yaml,line=8,col=5");
});
