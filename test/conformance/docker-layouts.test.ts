/**
 * Docker's own IPv4 rule layouts (every daemon configuration in moby's bridge-driver test
 * data, ../shared/corpus/docker/iptables/*__iptables.golden) with the packets a Docker user
 * sends, through the kernel and through nfwalk: every packet must agree on the outcome,
 * the header after NAT and every rule and policy counter.
 *
 * The layouts describe bridge `br-dummy` 192.168.0.0/24 with container 192.168.0.2, tcp 80
 * published on host port 8080 — the topology's ctr3. Byte-identical layouts (e.g. the
 * `cleaned` ones) are sent through the kernel once and their verdicts shared.
 *
 * Twice: on a host that keeps connection tracking on (as one with other conntrack users),
 * and on one where only the rules decide, as on a host Docker alone sets up. There a layout
 * without NAT or conntrack matches (`--iptables=false` leftovers, internal-only networks)
 * runs without conntrack, so its nat chains see nothing: every probe goes through the kernel
 * for those; a layout whose rules need conntrack is the same on both hosts, and its first
 * probe (whose nat PREROUTING rule counts only while conntrack runs) checks that nfwalk
 * also finds it on.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { conntrackUser } from "../../src/engine/conntrack-use.js";
import { parseRuleset } from "../../src/index.js";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compare, sharedLab, type Case, type Lab, type Verdict } from "./agreement.js";
import { conformanceAvailable } from "./available.js";

/** ../shared next to the repository root, never copied into the project. */
const dir = resolve(import.meta.dirname, "../../../shared/corpus/docker/iptables");

interface Layout {
  readonly name: string;
  readonly rules: string;
  /** Userland proxy off: Docker sets route_localnet on the bridge so 127.0.0.1 can be DNATed to it. */
  readonly hairpin: boolean;
}

const layouts: Layout[] = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith("__iptables.golden"))
      .sort()
      .map((f) => {
        const name = f.slice(0, -"__iptables.golden".length);
        return { name, rules: readFileSync(join(dir, f), "utf8"), hairpin: /(^|,)hairpin=true(,|$)/.test(name) };
      })
  : [];

/** A packet a Docker user sends, as nfwalk's trace takes it, and where it comes from. */
interface Probe {
  readonly what: string;
  readonly packet: string;
  readonly origin: Case["origin"];
  /** Only when the layout is a hairpin (userland-proxy off) one: what Docker sets on the host. */
  readonly hairpinSysctl?: readonly string[];
}

const PROBES: readonly Probe[] = [
  { what: "published port from outside", packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: { in: "eth0" } },
  { what: "published port from the host", packet: "tcp 10.99.0.1:40001 -> 10.99.0.1:8080", origin: { local: true } },
  {
    what: "published port on loopback from the host",
    packet: "tcp 127.0.0.1:40002 -> 127.0.0.1:8080",
    origin: { local: true },
    hairpinSysctl: ["net.ipv4.conf.br-dummy.route_localnet=1"],
  },
  { what: "hairpin: the container to its own published port", packet: "tcp 192.168.0.2:40003 -> 10.99.0.1:8080", origin: { in: "br-dummy" } },
  { what: "another network to the container", packet: "tcp 172.17.0.2:40004 -> 192.168.0.2:80", origin: { in: "docker0" } },
  { what: "another network to the published port", packet: "tcp 172.17.0.2:40005 -> 10.99.0.1:8080", origin: { in: "docker0" } },
  { what: "outside straight to the container", packet: "tcp 10.99.0.2:40006 -> 192.168.0.2:80", origin: { in: "eth0" } },
  { what: "the container's outgoing traffic", packet: "tcp 192.168.0.2:40007 -> 10.99.1.10:443", origin: { in: "br-dummy" } },
];

const available = conformanceAvailable();
const skipReason = !existsSync(dir)
  ? `${dir} is missing (the shared corpus sits next to the repository)`
  : !available.ok
    ? available.reason
    : layouts.length === 0
      ? `no *__iptables.golden in ${dir}`
      : undefined;
if (skipReason) console.log(`docker layout conformance skipped: ${skipReason}`);

/** Runs the layouts' probes through the lab's kernel and nfwalk; identical rulesets go through the kernel once. */
function layoutRunner(lab: Lab, label: string): (layout: Layout, probes: readonly Probe[]) => Promise<string[]> {
  const verdicts = new Map<string, Verdict>();
  let packets = 0;
  afterAll(async () => {
    if (packets > 0) console.log(`docker layout conformance (${label}): ${packets} packets through the kernel (${verdicts.size} distinct cases)`);
  });
  return async (layout, probes) => {
    const disagreements: string[] = [];
    for (const probe of probes) {
      const c: Case = {
        rules: layout.rules,
        packet: probe.packet,
        origin: probe.origin,
        ...(layout.hairpin && probe.hairpinSysctl && { sysctl: probe.hairpinSysctl }),
      };
      const key = JSON.stringify([c.rules, c.packet, c.origin, c.sysctl ?? []]);
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        verdict = await compare(lab.topology, lab.host, c);
        verdicts.set(key, verdict);
        packets++;
      }
      if (!verdict.agree) {
        const from = "local" in probe.origin ? "--local" : `--in ${probe.origin.in}`;
        const sysctl = c.sysctl ? ` ${c.sysctl.map((s) => `--sysctl ${s}`).join(" ")}` : "";
        disagreements.push(`${probe.what}: ${from}${sysctl} "${probe.packet}"\n    ${verdict.differences.join("\n    ")}\n    kernel: ${JSON.stringify(verdict.kernel)}`);
      }
    }
    return disagreements;
  };
}

describe.skipIf(skipReason !== undefined)("Docker's rule layouts agree with the kernel (a host that keeps conntrack on)", () => {
  const run = layoutRunner(sharedLab(available), "conntrack kept on");
  test.each(layouts.map((l) => [l.name, l] as const))(
    "%s",
    async (_name, layout) => {
      expect(await run(layout, PROBES), `layout ${layout.name}`).toEqual([]);
    },
    120_000,
  );
});

describe.skipIf(skipReason !== undefined)("Docker's rule layouts agree with the kernel (conntrack only as the rules need it)", () => {
  const run = layoutRunner(sharedLab(available, { conntrack: false }), "conntrack as the rules need");
  test.each(layouts.map((l) => [l.name, l] as const))(
    "%s",
    async (_name, layout) => {
      const loaded = parseRuleset(layout.rules, { file: layout.name, family: "ipv4" });
      const needsConntrack = loaded.ok && conntrackUser(loaded.ruleset) !== undefined;
      expect(await run(layout, needsConntrack ? PROBES.slice(0, 1) : PROBES), `layout ${layout.name}`).toEqual([]);
    },
    120_000,
  );
});
