/**
 * A fix `why` prints is pasted into production, so each is tried on the real kernel: the
 * fix's commands are applied to the dump (as text, test/why/apply-commands.ts) and loaded
 * with iptables-restore (an `ipset add` run in the namespace), the packet is sent, then its
 * reply from where the packet arrived (conntrack kept between the two), and both must get
 * through: the packet to its destination, the reply back where the packet came from. What
 * else the fix opens or closes (the packet sets' diff) is checked by sending each set's
 * example packet before and after the fix.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseIpsetSave, parsePacketSpec, parseRuleset, parseSysctls, why, type Origin as FromOrigin } from "../../src/index.js";
import { applyCommands } from "../why/apply-commands.js";
import { sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { clearTables, kernelAnswer, observe, type HeaderJson, type KernelAnswer, type Origin } from "./oracle.js";
import { LINKS, type Topology } from "./topology.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const example = (f: string) => readFileSync(join(dir, f), "utf8");
const available = conformanceAvailable();
if (!available.ok) console.log(`conformance why fixes skipped: ${available.reason}`);

const filter = (policies: string, rules: string[]) => `*filter\n${policies}\n${rules.join("\n")}\nCOMMIT\n`;

interface FixCase {
  readonly name: string;
  readonly rules: string;
  readonly packet: string;
  readonly origin: Origin;
  readonly sysctl?: readonly string[];
  /** An ipset the rules use: created in the host namespace with these members. */
  readonly ipset?: { readonly name: string; readonly members: readonly string[] };
}

const SET = `nfw_admins_${process.pid}`;

const CASES: readonly FixCase[] = [
  { name: "DOCKER-USER drops the client's subnet", rules: example("rules-docker-user.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: { in: "eth0" } },
  { name: "DOCKER-USER matches the published port", rules: example("rules-docker-user-port.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: { in: "eth0" } },
  {
    name: "DOCKER-USER drops everything",
    rules: example("rules.v4").replace("-A DOCKER-USER -j RETURN", "-A DOCKER-USER -j DROP"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080",
    origin: { in: "eth0" },
  },
  { name: "FORWARD policy DROP", rules: example("rules.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.1.10:443", origin: { in: "eth0" } },
  { name: "INPUT drops a host port (ufw layout)", rules: example("rules-ufw.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:9090", origin: { in: "eth0" } },
  { name: "INPUT does not protect a published port: DOCKER-USER for this client only", rules: example("rules-ufw.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: { in: "eth0" } },
  { name: "IP forwarding off", rules: example("rules.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: { in: "eth0" }, sysctl: ["net.ipv4.ip_forward=0"] },
  {
    name: "OUTPUT drops the reply",
    rules: filter(":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]", ["-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"]),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22",
    origin: { in: "eth0" },
  },
  {
    name: "a container's connection out through a FORWARD policy DROP without Docker's chains",
    rules: filter(":INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]", []).replace(
      "*filter",
      "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n*filter",
    ),
    packet: "tcp 172.17.0.2:40000 -> 10.99.1.10:443",
    origin: { in: "docker0" },
  },
  {
    name: "an ipset allow-list",
    rules: filter(":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]", [
      "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      `-A INPUT -p tcp -m tcp --dport 22 -m set --match-set ${SET} src -j ACCEPT`,
    ]),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22",
    origin: { in: "eth0" },
    ipset: { name: SET, members: ["10.99.0.5"] },
  },
];

/** How many examples of what else a fix opens or closes went to the kernel. */
let examplesSent = 0;

const REACHED = new Set(["delivered", "forwarded", "sent"]);
const reached = (a: KernelAnswer) => a.loaded && REACHED.has(a.outcome);

/** The packet that answers the one that arrived: addresses and ports swapped, SYN answered by SYN-ACK. */
function replyText(h: HeaderJson): string {
  if (h.sport === undefined || h.dport === undefined) return `${h.proto} ${h.dst} -> ${h.src}`;
  return `${h.proto} ${h.dst}:${h.dport} -> ${h.src}:${h.sport}${h.proto === "tcp" ? " [flags SYN,ACK]" : ""}`;
}

/** The packet, then its reply from where it arrived, with the connection conntrack made of the first in place. */
async function connection(topology: Topology, rules: string, packet: string, origin: Origin): Promise<{ first: KernelAnswer; reply?: KernelAnswer }> {
  const first = await kernelAnswer(topology, rules, packet, origin);
  if (!first.loaded || !reached(first) || !first.header || !first.arrivedAt) return { first };
  const from: Origin = first.arrivedAt === "host" ? { local: true } : { in: LINKS[first.arrivedAt].hostInterface };
  return { first, reply: await observe(topology, replyText(first.header), from, "copy") };
}

const backWhere = (reply: KernelAnswer | undefined, origin: Origin) =>
  reply?.loaded === true && ("local" in origin ? reply.outcome === "delivered" : (reply.outcome === "forwarded" || reply.outcome === "sent") && reply.interface === origin.in);

async function sysctls(topology: Topology, assignments: readonly string[]): Promise<void> {
  for (const a of assignments) await topology.namespaces.host.exec(["sysctl", "-q", "-w", a]);
}

describe.skipIf(!available.ok)("why's fixes hold in the kernel: the packet gets there and its reply gets back", () => {
  const lab = sharedLab(available);

  test.each(CASES)(
    "$name",
    async (c) => {
      const ns = lab.topology.namespaces.host;
      const loaded = parseRuleset(c.rules, { file: "rules", family: "ipv4" });
      const packet = parsePacketSpec(c.packet);
      if (!loaded.ok || !packet.ok) throw new Error("bad case");
      const ipsetText = c.ipset && `create ${c.ipset.name} hash:ip family inet hashsize 1024 maxelem 65536\n${c.ipset.members.map((m) => `add ${c.ipset!.name} ${m}\n`).join("")}`;
      const ipsets = ipsetText === undefined ? undefined : parseIpsetSave(ipsetText, "ipset");
      if (ipsets && !ipsets.ok) throw new Error("bad ipset");
      const parsedSysctls = parseSysctls([...(c.sysctl ?? [])]);
      if (!parsedSysctls.ok) throw new Error("bad sysctl");
      const host = { ...lab.host, sysctls: parsedSysctls.value };
      const from: FromOrigin = "local" in c.origin ? { local: true } : { interface: c.origin.in };
      const result = why(loaded.ruleset, host, packet.packet, { from, ...(ipsets?.ok && { ipsets: ipsets.value }) });
      if (!result.ok) throw new Error(result.message);
      const fixes = result.answer.fixes.filter((f) => f.commands.length > 0);
      expect(fixes.length, `${c.name}: why prints no fix`).toBeGreaterThan(0);

      // Created once and refilled (not destroyed) between runs: the rules loaded last still hold it.
      const makeSet = async (extra: readonly string[]) => {
        if (!c.ipset) return;
        for (const line of [`${ipsetText!.split("\n")[0]!} -exist`, `flush ${c.ipset.name}`, ...c.ipset.members.map((m) => `add ${c.ipset!.name} ${m}`), ...extra]) {
          const made = await ns.exec(["ipset", ...line.split(" ")]);
          if (made.code !== 0) throw new Error(`ipset ${line}: ${made.stderr}`);
        }
      };
      try {
        for (const fix of fixes) {
          const ipsetAdds = fix.commands.filter((cmd) => cmd.startsWith("ipset add ")).map((cmd) => cmd.slice("ipset ".length));
          const setsSysctl = fix.commands.filter((cmd) => cmd.startsWith("sysctl -w ")).map((cmd) => cmd.slice("sysctl -w ".length));
          const rules = applyCommands(
            c.rules,
            fix.commands.filter((cmd) => cmd.startsWith("iptables ")),
          );
          const sysctlsWith = [...(c.sysctl ?? []).filter((s) => !setsSysctl.some((t) => t.split("=")[0] === s.split("=")[0])), ...setsSysctl];

          // Without the fix the kernel does what why said: the packet, or its reply, does not get through.
          await makeSet([]);
          await sysctls(lab.topology, c.sysctl ?? []);
          const before = await connection(lab.topology, c.rules, c.packet, c.origin);
          expect(reached(before.first) && backWhere(before.reply, c.origin), `${c.name}: already works without the fix`).toBe(c.name.startsWith("INPUT does not protect"));

          await makeSet(ipsetAdds);
          await sysctls(lab.topology, sysctlsWith);
          const after = await connection(lab.topology, rules, c.packet, c.origin);
          const detail = JSON.stringify({ fix: fix.commands, first: after.first, reply: after.reply }, null, 1);
          expect(reached(after.first), `the packet with the fix: ${detail}`).toBe(true);
          expect(backWhere(after.reply, c.origin), `its reply with the fix: ${detail}`).toBe(true);

          // What else the fix changes, by the packet sets' diff: each set it opens or closes, its example sent before and after the fix.
          for (const d of fix.alsoChanges) {
            if (d.change !== "opens" && d.change !== "closes") continue;
            if ("in" in d.origin && !Object.values(LINKS).some((l) => "in" in d.origin && l.hostInterface === d.origin.in)) continue;
            const exampleOrigin: Origin = "local" in d.origin ? { local: true } : { in: d.origin.in };
            await makeSet([]);
            await sysctls(lab.topology, c.sysctl ?? []);
            const was = await kernelAnswer(lab.topology, c.rules, d.example, exampleOrigin);
            await makeSet(ipsetAdds);
            await sysctls(lab.topology, sysctlsWith);
            const now = await kernelAnswer(lab.topology, rules, d.example, exampleOrigin);
            const opens = d.change === "opens";
            examplesSent++;
            expect([reached(was), reached(now)], `${d.change} ${d.example} ${JSON.stringify(d.origin)}: ${JSON.stringify({ was, now })}`).toEqual([!opens, opens]);
          }
        }
      } finally {
        await sysctls(lab.topology, ["net.ipv4.ip_forward=1"]);
        if (c.ipset) {
          await clearTables(lab.topology);
          // The tables' release of the set is deferred: try a few times.
          for (let i = 0; i < 20 && (await ns.exec(["ipset", "destroy", c.ipset.name])).code !== 0; i++) await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    120_000,
  );

  test("the diff's examples were sent: the fixes open other packets (their other source ports at least)", () => {
    expect(examplesSent).toBeGreaterThanOrEqual(CASES.length);
  });
});
