/**
 * Exactness of the set walk, checked against the concrete one: for random
 * rulesets over the docker-host topology and random packets, the class
 * `reach` puts a packet in has the outcome, interface and header after NAT
 * that `trace` gives it; the classes are disjoint and cover the query; every
 * `diff` example, traced with both dumps, is treated as the difference says.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { tracePacket, type Ingress } from "../../src/engine/pipeline.js";
import { DEFAULT_SYSCTLS, parseIpAddr, parseIpRoute, type Host } from "../../src/host/index.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { diff, onlyUndetermined, reach } from "../../src/sets/answer.js";
import { containsPoint, EVERYTHING, intersect, isEmpty, sameSet, unionAll } from "../../src/sets/packet-set.js";
import { reachParts } from "../../src/sets/reach.js";
import { applyRewrite } from "../../src/sets/flow.js";
import { DEFAULT_FIXED, defaultFixed, pointOf, type FixedFields } from "../../src/sets/text.js";
import type { Family } from "../../src/model/types.js";
import type { Packet } from "../../src/packet/packet.js";
import { packetCase, packetCase6, rulesetText, rulesetText6 } from "../arbitraries/ruleset.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const read = (f: string) => readFileSync(join(dir, f), "utf8");
function ok<T>(r: { ok: true; value: T } | { ok: false }): T {
  if (!r.ok) throw new Error("example host does not load");
  return r.value;
}
const host: Host = {
  interfaces: ok(parseIpAddr(read("ip-addr.json"), "ip-addr.json")),
  routes: ok(parseIpRoute(read("ip-route.json"), "ip-route.json")),
  sysctls: DEFAULT_SYSCTLS,
  origin: { kind: "files" },
};

/** A two-link IPv6 host (arbitraries' V6_HOST): eth0 fd00:1::1/64 with the default route via fd00:1::2, eth1 fd00:2::1/64, lo ::1. */
const ADDR6 = JSON.stringify([
  { ifindex: 1, ifname: "lo", flags: ["LOOPBACK", "UP", "LOWER_UP"], operstate: "UNKNOWN", link_type: "loopback", addr_info: [{ family: "inet6", local: "::1", prefixlen: 128, scope: "host" }] },
  ...[1, 2].map((n) => ({
    ifindex: n + 1,
    ifname: `eth${n - 1}`,
    flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
    operstate: "UP",
    link_type: "ether",
    address: `02:00:00:00:00:0${n}`,
    addr_info: [
      { family: "inet6", local: `fd00:${n}::1`, prefixlen: 64, scope: "global" },
      { family: "inet6", local: `fe80::${n}`, prefixlen: 64, scope: "link" },
    ],
  })),
]);
const ROUTE6 = JSON.stringify([
  { dst: "default", gateway: "fd00:1::2", dev: "eth0", metric: 1024, flags: [] },
  { dst: "fd00:1::/64", dev: "eth0", protocol: "kernel", metric: 256, flags: [] },
  { dst: "fd00:2::/64", dev: "eth1", protocol: "kernel", metric: 256, flags: [] },
  { dst: "fe80::/64", dev: "eth0", protocol: "kernel", metric: 256, flags: [] },
  { dst: "fe80::/64", dev: "eth1", protocol: "kernel", metric: 256, flags: [] },
]);
const host6: Host = { interfaces: ok(parseIpAddr(ADDR6, "addr6.json")), routes: ok(parseIpRoute(ROUTE6, "route6.json")), sysctls: DEFAULT_SYSCTLS, origin: { kind: "files" } };

function load(text: string, family: Family = "ipv4"): Ruleset {
  const r = parseRuleset(text, { file: "random", family });
  if (!r.ok) throw new Error(text);
  return r.ruleset;
}

function ingressOf(origin: { in: string } | { local: true }): Ingress {
  return "local" in origin ? { kind: "local" } : { kind: "interface", name: origin.in };
}

function fixedOf(packet: Packet): FixedFields {
  const t = packet.transport;
  return {
    ...defaultFixed(packet.family),
    ttl: packet.ttl,
    tos: packet.tos,
    ...(t.kind === "tcp" && { flags: t.flags }),
    ...((t.kind === "icmp" || t.kind === "icmpv6") && { icmpType: t.type, icmpCode: t.code }),
  };
}

/** The header trace ends with, as a point. */
function endHeader(trace: ReturnType<typeof tracePacket>): readonly number[] | undefined {
  const p = trace.egress?.packet ?? trace.delivered?.packet;
  return p && pointOf(p);
}

const knownOrigin = packetCase.filter((c) => "local" in c.origin || host.interfaces.some((i) => i.name === (c.origin as { in: string }).in));

/** The two families' random dumps, packets and hosts. */
const FAMILIES = [
  { family: "ipv4" as const, host, rulesetText, packetCase: knownOrigin, origins: [{ kind: "interface", name: "eth0" }, { kind: "local" }] as Ingress[], runs: 60 },
  // IPv6 sets are more boxes (an address is four words): fewer runs keep the file's time in bounds.
  {
    family: "ipv6" as const,
    host: host6,
    rulesetText: rulesetText6,
    packetCase: packetCase6,
    origins: [{ kind: "interface", name: "eth0" }, { kind: "interface", name: "eth1" }, { kind: "local" }] as Ingress[],
    runs: 20,
  },
];

describe.each(FAMILIES)("reach agrees with trace ($family)", ({ family, host, rulesetText, packetCase: knownOrigin, runs }) => {
  test("the class of every packet has trace's outcome, interface and header after NAT; classes are disjoint and cover the query", () => {
    fc.assert(
      fc.property(rulesetText, fc.array(knownOrigin, { minLength: 1, maxLength: 4 }), (text, cases) => {
        const ruleset = load(text, family);
        for (const c of cases) {
          const parsed = parsePacketSpec(c.spec);
          if (!parsed.ok) throw new Error(c.spec);
          const packet = parsed.packet;
          const ingress = ingressOf(c.origin);
          const query = { set: EVERYTHING, fixed: fixedOf(packet) };
          const parts = reachParts({ ruleset, host, query, ingress });
          expect(sameSet(unionAll(parts.map((p) => p.set)), EVERYTHING)).toBe(true);
          parts.forEach((a, i) => parts.slice(i + 1).forEach((b) => expect(isEmpty(intersect(a.set, b.set))).toBe(true)));
          const point = pointOf(packet);
          const holding = parts.filter((p) => containsPoint(p.set, point));
          expect(holding).toHaveLength(1);
          const part = holding[0]!;
          const trace = tracePacket({ ruleset, host, packet, ingress });
          const context = `${c.spec} ${JSON.stringify(c.origin)}\n${text}\nreach: ${JSON.stringify(part.treatment)}\ntrace: ${trace.outcome} ${trace.reason}`;
          if (trace.outcome === "undetermined") expect(part.treatment.outcome, context).toBe("undetermined");
          if (part.treatment.outcome === "undetermined") continue;
          expect(trace.outcome, context).toBe(part.treatment.outcome);
          expect(trace.egress?.interface, context).toBe(part.treatment.interface);
          const header = endHeader(trace);
          if (header) expect(header, context).toEqual(applyRewrite(point, part.treatment.rewrite).map((v, i) => ((i === 3 || i === 4) && !("sport" in packet.transport) ? 0 : v)));
        }
      }),
      { numRuns: runs },
    );
  }, 300_000);

  test("every example a class gives is traced to the class's outcome and interface", () => {
    fc.assert(
      fc.property(rulesetText, knownOrigin, (text, c) => {
        const ruleset = load(text, family);
        const ingress = ingressOf(c.origin);
        for (const cls of reach({ ruleset, host, query: { set: EVERYTHING, fixed: defaultFixed(family) }, ingress })) {
          if (cls.outcome === "undetermined") continue;
          const parsed = parsePacketSpec(cls.example);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          const trace = tracePacket({ ruleset, host, packet: parsed.packet, ingress });
          expect(trace.outcome, `${cls.example}\n${text}`).toBe(cls.outcome);
          expect(trace.egress?.interface).toBe(cls.interface);
        }
      }),
      { numRuns: runs },
    );
  }, 300_000);
});

describe("runs of one-address or one-port rules (kube-proxy's shape) agree with trace", () => {
  const addresses = ["10.99.0.1", "172.17.0.1", "10.96.0.1", "10.96.0.2", "10.96.0.3"];
  const ports = [22, 53, 80, 8080];
  const rule = fc.record({
    by: fc.constantFrom("dst", "dport"),
    address: fc.constantFrom(...addresses),
    port: fc.constantFrom(...ports),
    proto: fc.constantFrom("tcp", "udp"),
    target: fc.constantFrom("-j ACCEPT", "-j DROP", "-j MARK --set-xmark 0x1/0xffffffff", "-j SUB", "-j RETURN"),
  });
  const dump = fc.tuple(fc.array(rule, { minLength: 8, maxLength: 24 }), fc.constantFrom("dst", "dport")).map(([rules, by]) => {
    const lines = rules.map((r) =>
      by === "dst" ? `-A INPUT -d ${r.address}/32 -p ${r.proto} -m ${r.proto} --dport ${r.port} ${r.target}` : `-A INPUT -p ${r.proto} -m ${r.proto} --dport ${r.port} ${r.target}`,
    );
    return [
      "*filter",
      ":INPUT DROP [0:0]",
      ":FORWARD ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":SUB - [0:0]",
      ...lines,
      "-A SUB -m mark --mark 0x1 -j ACCEPT",
      "-A SUB -s 10.99.0.2/32 -j DROP",
      "COMMIT",
      "",
    ].join("\n");
  });
  const packet = fc.tuple(fc.constantFrom("tcp", "udp", "icmp"), fc.constantFrom("10.99.0.2", "203.0.113.7"), fc.constantFrom(...addresses), fc.constantFrom(...ports));
  test("every packet's class has trace's outcome", () => {
    fc.assert(
      fc.property(dump, fc.array(packet, { minLength: 1, maxLength: 6 }), (text, packets) => {
        const ruleset = load(text);
        const ingress: Ingress = { kind: "interface", name: "eth0" };
        const parts = reachParts({ ruleset, host, query: { set: EVERYTHING, fixed: DEFAULT_FIXED }, ingress });
        expect(sameSet(unionAll(parts.map((p) => p.set)), EVERYTHING)).toBe(true);
        for (const [proto, src, dst, port] of packets) {
          const parsed = parsePacketSpec(proto === "icmp" ? `icmp ${src} -> ${dst}` : `${proto} ${src}:40000 -> ${dst}:${port}`);
          if (!parsed.ok) throw new Error(parsed.message);
          const holding = parts.filter((p) => containsPoint(p.set, pointOf(parsed.packet)));
          expect(holding).toHaveLength(1);
          const trace = tracePacket({ ruleset, host, packet: parsed.packet, ingress });
          expect(trace.outcome, `${proto} ${src} -> ${dst}:${port}\n${text}`).toBe(holding[0]!.treatment.outcome);
        }
      }),
      { numRuns: 150 },
    );
  }, 300_000);
});

describe.each(FAMILIES)("diff ($family)", ({ family, host, rulesetText, origins, runs }) => {
  test("every example reproduces: traced with each dump it gets the two treatments; identical dumps have no differences", () => {
    const query = { set: EVERYTHING, fixed: defaultFixed(family) };
    fc.assert(
      fc.property(rulesetText, rulesetText, (a, b) => {
        const before = load(a, family);
        const after = load(b, family);
        expect(diff({ ruleset: before, host }, { ruleset: before, host }, query, origins)).toEqual([]);
        for (const d of diff({ ruleset: before, host }, { ruleset: after, host }, query, origins)) {
          const parsed = parsePacketSpec(d.example);
          if (!parsed.ok) throw new Error(d.example);
          for (const [ruleset, treatment] of [
            [before, d.before],
            [after, d.after],
          ] as const) {
            if (treatment.outcome === "undetermined") continue;
            const trace = tracePacket({ ruleset, host, packet: parsed.packet, ingress: d.ingress });
            expect(trace.outcome, `${d.example}\n${a}\n---\n${b}`).toBe(treatment.outcome);
            expect(trace.egress?.interface).toBe(treatment.interface);
          }
        }
      }),
      { numRuns: runs },
    );
  }, 300_000);
});

describe("diff where nfwalk cannot know", () => {
  const COIN = "-m statistic --mode random --probability 0.50000000000";
  const tail = fc.constantFrom("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", "-A INPUT -s 10.99.0.2/32 -j DROP", "-A INPUT -d 10.99.0.1/32 -p udp -j ACCEPT", "-A INPUT -p icmp -j ACCEPT");
  /** A filter table whose INPUT starts with a coin toss on some packets: those are undetermined. */
  const dump = fc
    .tuple(fc.constantFrom("ACCEPT", "DROP"), fc.constantFrom("", "-p tcp ", "-s 10.0.0.0/8 "), fc.constantFrom("-j DROP", "-j ACCEPT"), fc.array(tail, { maxLength: 3 }))
    .map(([policy, where, target, rules]) =>
      ["*filter", `:INPUT ${policy} [0:0]`, ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", `-A INPUT ${where}${COIN} ${target}`, ...rules, "COMMIT", ""].join("\n"),
    );
  const eth0: Ingress = { kind: "interface", name: "eth0" };
  const query = { set: EVERYTHING, fixed: DEFAULT_FIXED };
  const packets = fc.array(fc.tuple(fc.constantFrom("tcp", "udp", "icmp"), fc.constantFrom("10.99.0.2", "203.0.113.7"), fc.constantFrom("10.99.0.1", "172.17.0.2"), fc.constantFrom(22, 53)), {
    minLength: 1,
    maxLength: 6,
  });

  test("a packet undetermined with both dumps lies in an undetermined difference unless the dumps are the same; determined ones differ as trace says", () => {
    fc.assert(
      fc.property(dump, dump, packets, (a, b, cases) => {
        const before = load(a);
        const after = load(b);
        const differences = diff({ ruleset: before, host }, { ruleset: after, host }, query, [eth0]);
        const was = reachParts({ ruleset: before, host, query, ingress: eth0 });
        const now = reachParts({ ruleset: after, host, query, ingress: eth0 });
        for (const [proto, src, dst, port] of cases) {
          const parsed = parsePacketSpec(proto === "icmp" ? `icmp ${src} -> ${dst}` : `${proto} ${src}:40000 -> ${dst}:${port}`);
          if (!parsed.ok) throw new Error(parsed.message);
          const point = pointOf(parsed.packet);
          const b0 = was.find((p) => containsPoint(p.set, point))!.treatment;
          const a0 = now.find((p) => containsPoint(p.set, point))!.treatment;
          const holding = differences.filter((d) => containsPoint(d.set, point));
          const context = `${proto} ${src} -> ${dst}:${port}\n${a}\n---\n${b}`;
          const apart = b0.outcome !== a0.outcome || b0.interface !== a0.interface || (b0.outcome === "undetermined" && a !== b);
          expect(holding, context).toHaveLength(apart ? 1 : 0);
          if (apart) expect([holding[0]!.before.outcome, holding[0]!.after.outcome], context).toEqual([b0.outcome, a0.outcome]);
        }
        expect(diff({ ruleset: before, host }, { ruleset: load(a), host }, query, [eth0])).toEqual([]);
      }),
      { numRuns: 80 },
    );
  }, 300_000);

  test("dumps that differ only after a coin toss differ only where nfwalk cannot know", () => {
    const rules = (policy: string) => ["*filter", `:INPUT ${policy} [0:0]`, ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", `-A INPUT ${COIN} -j DROP`, "COMMIT", ""].join("\n");
    const differences = diff({ ruleset: load(rules("ACCEPT")), host }, { ruleset: load(rules("DROP")), host }, query, [eth0]);
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.every((d) => d.before.outcome === "undetermined" && d.after.outcome === "undetermined")).toBe(true);
    expect(onlyUndetermined(differences)).toBe(true);
  });
});

describe("matches on what a set flow holds one value of (TTL, TOS, length by protocol, ECN, helper, device group) agree with trace", () => {
  const v4 = ["-m ttl --ttl-gt 60", "-m ttl --ttl-lt 64", "-m ttl ! --ttl-eq 64", "-m tos --tos 0x10/0x3f", "-m dscp --dscp 0x04", "-m ecn --ecn-ip-ect 1", "-p tcp -m ecn --ecn-tcp-ece"];
  const v6 = [
    "-m hl --hl-gt 60",
    "-m hl --hl-lt 64",
    "-m hl ! --hl-eq 64",
    "-m tos --tos 0x10/0x3f",
    "-m dscp --dscp 0x04",
    "-m ecn --ecn-ip-ect 1",
    "-p tcp -m ecn --ecn-tcp-ece",
    "-m frag --fragfirst",
    "-m frag ! --fragid 5",
  ];
  const common = [
    "-m length --length 40:60",
    "-m length ! --length 0:28",
    "-m helper --helper ftp",
    "-m helper ! --helper ftp",
    "-m devgroup --src-group 0x0/0x0",
    "-m devgroup ! --src-group 0x0/0x0",
  ];
  const setups = [
    {
      family: "ipv4" as const,
      host,
      matches: [...v4, ...common],
      packet: (p: string, ttl: number, tos: number) =>
        `${p === "icmp" ? "icmp 10.99.0.2 -> 10.99.0.1" : `${p} 10.99.0.2:40000 -> 10.99.0.1:22${p === "tcp" ? " [flags SYN,ECE]" : ""}`} [ttl ${ttl}] [tos ${tos}]`,
    },
    {
      family: "ipv6" as const,
      host: host6,
      matches: [...v6, ...common],
      packet: (p: string, ttl: number, tos: number) =>
        `${p === "icmp" ? "icmpv6 fd00:1::2 -> fd00:1::1" : `${p} [fd00:1::2]:40000 -> [fd00:1::1]:22${p === "tcp" ? " [flags SYN,ECE]" : ""}`} [ttl ${ttl}] [tos ${tos}]`,
    },
  ];
  test.each(setups)("$family", ({ family, host, matches, packet }) => {
    const rules = fc.array(fc.tuple(fc.constantFrom(...matches), fc.constantFrom("-j ACCEPT", "-j DROP", "-j MARK --set-xmark 0x1/0xffffffff")), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        rules,
        fc.constantFrom("tcp", "udp", "icmp", "gre"),
        fc.constantFrom(1, 60, 63, 64, 65),
        fc.constantFrom(0, 0x10, 0x11, 0x12),
        fc.constantFrom("", " [length 50]", " [length 1500]"),
        (list, proto, ttl, tos, length) => {
          const text = ["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...list.map(([m, t]) => `-A INPUT ${m} ${t}`), "COMMIT", ""].join("\n");
          const ruleset = load(text, family);
          const spec = (proto === "gre" ? packet("icmp", ttl, tos).replace(/^icmp(v6)?/, "gre") : packet(proto, ttl, tos)) + length;
          const parsed = parsePacketSpec(spec);
          if (!parsed.ok) throw new Error(`${spec}: ${parsed.message}`);
          const ingress: Ingress = { kind: "interface", name: "eth0" };
          const parts = reachParts({ ruleset, host, query: { set: EVERYTHING, fixed: { ...fixedOf(parsed.packet), ...(length && { length: parsed.packet.length }) } }, ingress });
          const holding = parts.filter((p) => containsPoint(p.set, pointOf(parsed.packet)));
          expect(holding).toHaveLength(1);
          const trace = tracePacket({ ruleset, host, packet: parsed.packet, ingress });
          const reached = holding[0]!.treatment.outcome;
          expect(reached, `${spec}\n${text}`).not.toBe("undetermined");
          expect(trace.outcome, `${spec}\n${text}`).toBe(reached);
        },
      ),
      { numRuns: 150 },
    );
  });

  test.each(setups)("-m owner on packets the host sends ($family)", ({ family, host, packet }) => {
    const owner = fc.constantFrom("-m owner --uid-owner 0", "-m owner ! --uid-owner 0", "-m owner --uid-owner 1000-2000", "-m owner --gid-owner 0", "-m owner ! --socket-exists");
    const rules = fc.array(fc.tuple(owner, fc.constantFrom("-j ACCEPT", "-j DROP")), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(rules, fc.constantFrom("tcp", "udp", "icmp"), (list, proto) => {
        const text = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT DROP [0:0]", ...list.map(([m, t]) => `-A OUTPUT ${m} ${t}`), "COMMIT", ""].join("\n");
        const ruleset = load(text, family);
        const parsed = parsePacketSpec(packet(proto, 64, 0));
        if (!parsed.ok) throw new Error(parsed.message);
        const ingress: Ingress = { kind: "local" };
        const parts = reachParts({ ruleset, host, query: { set: EVERYTHING, fixed: fixedOf(parsed.packet) }, ingress });
        const holding = parts.filter((p) => containsPoint(p.set, pointOf(parsed.packet)));
        expect(holding).toHaveLength(1);
        expect(holding[0]!.treatment.outcome).not.toBe("undetermined");
        expect(tracePacket({ ruleset, host, packet: parsed.packet, ingress }).outcome, text).toBe(holding[0]!.treatment.outcome);
      }),
      { numRuns: 60 },
    );
  });
});
