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
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tracePacket, type Ingress } from "../../src/engine/pipeline.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import { diff, reach } from "../../src/sets/answer.js";
import { EVERYTHING } from "../../src/sets/packet-set.js";
import { DEFAULT_FIXED, defaultFixed, parsePacketSet } from "../../src/sets/text.js";
import { openLabV6, type LabV6 } from "./lab-v6.js";
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

/** An ip6tables host: a port forwarded to fd00:2::2, its network masqueraded, a filter on INPUT and FORWARD. */
const RULES_V6 = [
  "*nat",
  ":PREROUTING ACCEPT [0:0]",
  ":INPUT ACCEPT [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  ":POSTROUTING ACCEPT [0:0]",
  "-A PREROUTING -d fd00:1::1/128 -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination [fd00:2::2]:80",
  "-A POSTROUTING -s fd00:2::/64 -o eth0 -j MASQUERADE",
  "COMMIT",
  "*filter",
  ":INPUT DROP [0:0]",
  ":FORWARD DROP [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
  "-A INPUT -i lo -j ACCEPT",
  "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT",
  "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
  "-A INPUT -m addrtype --dst-type MULTICAST -j DROP",
  "-A FORWARD -d fd00:2::2/128 -p tcp -m tcp --dport 80 -j ACCEPT",
  "-A FORWARD -i eth1 -j ACCEPT",
  "-A OUTPUT -d 2001:db8::/32 -p udp -j REJECT --reject-with icmp6-port-unreachable",
  "COMMIT",
  "",
].join("\n");
/** The same with SSH closed to all but fd00:1::/64 and UDP to fd00:2::9 forwarded. */
const RULES_V6_AFTER = RULES_V6.replace("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", "-A INPUT -s fd00:1::/64 -p tcp -m tcp --dport 22 -j ACCEPT").replace(
  "-A FORWARD -i eth1 -j ACCEPT",
  "-A FORWARD -i eth1 -j ACCEPT\n-A FORWARD -d fd00:2::9/128 -p udp -j ACCEPT",
);

describe.skipIf(!available.ok)("IPv6 reach and diff examples agree with the kernel (ip6tables, scapy)", () => {
  let lab: LabV6;
  beforeAll(async () => {
    lab = await openLabV6(available.ok ? available.python : "python3");
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });
  const load6 = (text: string) => {
    const r = parseRuleset(text, { file: "rules.v6", family: "ipv6" });
    if (!r.ok) throw new Error("the IPv6 dump does not load");
    return r.ruleset;
  };

  test.each([
    { set: "tcp any -> [fd00:1::1]:any", origin: { kind: "interface", name: "eth0" } },
    { set: "any any -> fd00:2::/120", origin: { kind: "interface", name: "eth0" } },
    { set: "tcp,udp,icmpv6 fd00:2::2 -> any", origin: { kind: "interface", name: "eth1" } },
    { set: "udp,icmpv6 fd00:1::1 -> any", origin: { kind: "local" } },
  ] as { set: string; origin: Ingress }[])(
    "every class of reach '$set' from $origin.kind $origin.name",
    async ({ set, origin }) => {
      const query = parsePacketSet(set, "ipv6");
      if (!query.ok) throw new Error(query.message);
      const classes = reach({ ruleset: load6(RULES_V6), host: lab.host, query: query.query, ingress: origin });
      expect(classes.some((c) => c.outcome !== "undetermined")).toBe(true);
      for (const c of classes) {
        if (c.outcome === "undetermined") continue;
        const kernel = await lab.send(RULES_V6, c.example, originOf(origin));
        expect(kernel.outcome, c.example).toBe(seen(c.outcome));
        if (c.interface) expect("interface" in kernel && kernel.interface, c.example).toBe(c.interface);
      }
    },
    120_000,
  );

  /** Matches on what a set flow holds one value of: hop limit, TOS/DSCP, ECN, and the length each protocol gives. */
  const FIELD_RULES = [
    "*filter",
    ":INPUT DROP [0:0]",
    ":FORWARD DROP [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    "-A INPUT -m hl --hl-lt 64 -j DROP",
    "-A INPUT -m tos --tos 0x10/0x3f -j ACCEPT",
    "-A INPUT -p udp -m length --length 0:48 -j ACCEPT",
    "-A INPUT -p tcp -m ecn --ecn-tcp-ece -j ACCEPT",
    "-A FORWARD -m dscp --dscp 0x04 -j ACCEPT",
    "COMMIT",
    "",
  ].join("\n");
  test.each([
    "tcp,udp,icmpv6 fd00:1::2 -> fd00:1::1",
    "tcp,udp,icmpv6 fd00:1::2 -> fd00:1::1 [ttl 63]",
    "tcp,udp fd00:1::2 -> fd00:1::1 [flags SYN,ECE]",
    "tcp,udp fd00:1::2 -> fd00:1::1,fd00:2::2 [tos 0x10]",
    "udp fd00:1::2 -> fd00:1::1 [length 49]",
  ])(
    "hop limit, TOS, DSCP, ECN and length matches as set semantics: '%s'",
    async (set) => {
      const query = parsePacketSet(set, "ipv6");
      if (!query.ok) throw new Error(query.message);
      const classes = reach({ ruleset: load6(FIELD_RULES), host: lab.host, query: query.query, ingress: { kind: "interface", name: "eth0" } });
      expect(classes.every((c) => c.outcome !== "undetermined")).toBe(true);
      for (const c of classes) {
        const kernel = await lab.send(FIELD_RULES, c.example, { in: "eth0" });
        expect(kernel.outcome, c.example).toBe(seen(c.outcome));
      }
    },
    120_000,
  );

  test("-m owner and -m frag on packets the host sends (root's socket, whole packets)", async () => {
    const rules = [
      "*filter",
      ":INPUT ACCEPT [0:0]",
      ":FORWARD ACCEPT [0:0]",
      ":OUTPUT DROP [0:0]",
      "-A OUTPUT -m frag --fragfirst -j ACCEPT",
      "-A OUTPUT -p udp -m owner --uid-owner 0 -j ACCEPT",
      "-A OUTPUT -p tcp -m owner ! --uid-owner 0 -j ACCEPT",
      "COMMIT",
      "",
    ].join("\n");
    const query = parsePacketSet("tcp,udp,icmpv6 fd00:1::1 -> fd00:2::2", "ipv6");
    if (!query.ok) throw new Error(query.message);
    const classes = reach({ ruleset: load6(rules), host: lab.host, query: query.query, ingress: { kind: "local" } });
    expect(classes.map((c) => c.outcome).sort()).toEqual(["dropped", "sent"]);
    for (const c of classes) {
      const kernel = await lab.send(rules, c.example, { local: true });
      expect(kernel.outcome, c.example).toBe(seen(c.outcome));
      if (c.interface) expect("interface" in kernel && kernel.interface, c.example).toBe(c.interface);
    }
  }, 120_000);

  /**
   * Next header 1, ICMP's number and not ICMPv6's: ip6tables' `-p icmp` and `-p 1` match it, the
   * kernel reads no ICMP header of it, and conntrack's ICMP tracker refuses it (INVALID).
   */
  const NEXT_HEADER_1_RULES = [
    "*filter",
    ":INPUT ACCEPT [0:0]",
    ":FORWARD ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    // Only the lab's packets: from fd00:1::/64, and out to fd00:2::/64 (neighbour discovery on a link would count too).
    ...["INPUT -s fd00:1::/64", "FORWARD -s fd00:1::/64", "OUTPUT -d fd00:2::/64"].flatMap((chain) =>
      ["-p icmp", "-p 1", "! -p icmp", "-p ipv6-icmp", "-m conntrack --ctstate NEW", "-m conntrack --ctstate INVALID"].map((match) => `-A ${chain} ${match}`),
    ),
    "-A FORWARD -d fd00:2::9/128 -p 1 -j DROP",
    "COMMIT",
    "",
  ].join("\n");
  test.each([
    { set: "1 fd00:1::2 -> fd00:1::1,fd00:2::2,fd00:2::9", origin: { kind: "interface", name: "eth0" } },
    { set: "1 fd00:1::1 -> fd00:2::2", origin: { kind: "local" } },
  ] as { set: string; origin: Ingress }[])(
    "next header 1: every class of reach '$set' from $origin.kind, its example (a PACKET trace reads) sent: same outcome, same rules and policies counted",
    async ({ set, origin }) => {
      const query = parsePacketSet(set, "ipv6");
      if (!query.ok) throw new Error(query.message);
      const ruleset = load6(NEXT_HEADER_1_RULES);
      const classes = reach({ ruleset, host: lab.host, query: query.query, ingress: origin });
      expect(classes.length).toBeGreaterThan(0);
      for (const c of classes) {
        expect(c.example, c.example).toMatch(/^1 /);
        const packet = parsePacketSpec(c.example);
        if (!packet.ok) throw new Error(`${c.example}: ${packet.message}`);
        const trace = tracePacket({ ruleset, host: lab.host, packet: packet.packet, ingress: origin });
        expect(trace.outcome, c.example).toBe(c.outcome);
        const kernel = await lab.send(NEXT_HEADER_1_RULES, c.example, originOf(origin));
        expect(kernel.outcome, c.example).toBe(seen(c.outcome));
        if (c.interface) expect("interface" in kernel && kernel.interface, c.example).toBe(c.interface);
        const counted = await lab.counted();
        const kernelSteps = [...counted.rules.map((r) => `${r.table} ${r.chain} #${r.rule}`), ...counted.policies.map((p) => `${p.table} ${p.chain} ${p.policy}`)].sort();
        const steps = trace.steps.flatMap((s) => (s.type === "rule" ? [`${s.table} ${s.chain} #${s.rule}`] : s.type === "policy" ? [`${s.table} ${s.chain} ${s.policy}`] : [])).sort();
        expect(steps, c.example).toEqual(kernelSteps);
      }
    },
    120_000,
  );

  test("every difference diff finds between two ip6tables dumps, its example sent with each", async () => {
    const origins: Ingress[] = [{ kind: "interface", name: "eth0" }, { kind: "interface", name: "eth1" }, { kind: "local" }];
    const differences = diff({ ruleset: load6(RULES_V6), host: lab.host }, { ruleset: load6(RULES_V6_AFTER), host: lab.host }, { set: EVERYTHING, fixed: defaultFixed("ipv6") }, origins);
    expect(differences.length).toBeGreaterThan(0);
    for (const d of differences)
      for (const [rules, treatment] of [
        [RULES_V6, d.before],
        [RULES_V6_AFTER, d.after],
      ] as const) {
        if (treatment.outcome === "undetermined") continue;
        const kernel = await lab.send(rules, d.example, originOf(d.ingress));
        expect(kernel.outcome, `${d.example} ${JSON.stringify(d.ingress)}`).toBe(seen(treatment.outcome));
        if (treatment.interface) expect("interface" in kernel && kernel.interface, d.example).toBe(treatment.interface);
      }
  }, 300_000);
});
