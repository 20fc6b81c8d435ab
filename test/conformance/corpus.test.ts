/**
 * Real-world IPv4 dumps (../shared/corpus/real/*.rules) through the kernel and through
 * nfwalk, with packets aimed at their rules: from a handful of rules of each dump that name
 * addresses, protocols or ports, one packet that matches the rule and one near miss, sent
 * from ext (eth0), from a container (docker0) or from the host (--local). Every packet must
 * agree on outcome, header after NAT and every counter — or, where nfwalk's trace forks on
 * what it cannot know (ipset contents, limit buckets), the kernel must have taken one of
 * the trace's branches.
 *
 * Dumps the kernel refuses (old syntax, CRLF line ends, …) are skipped with the kernel's
 * message. The ipsets a dump names are created empty in the host namespace first, so dumps
 * that use them load.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { agreeingBranch, compare, sharedLab, type Case } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { clearTables } from "./oracle.js";

const dir = resolve(import.meta.dirname, "../../../shared/corpus/real");

/** Rules aimed at per dump (two packets each); big dumps get fewer, their restore alone is slow. */
const RULES_PER_DUMP = 5;
const RULES_PER_BIG_DUMP = 2;
const BIG_DUMP_RULES = 1000;

interface Dump {
  readonly name: string;
  readonly text: string;
}

const dumps: Dump[] = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith(".rules"))
      .sort()
      .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }))
  : [];

// ---------------------------------------------------------------------------------------
// Reading just enough of a rule to aim a packet at it.

interface RuleFacts {
  readonly table: string;
  readonly chain: string;
  readonly src?: Net;
  readonly dst?: Net;
  readonly proto?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly icmp?: { type: number; code?: number };
  readonly in?: string;
  readonly out?: string;
}

interface Net {
  readonly address: number;
  readonly prefix: number;
  readonly negated: boolean;
}

/** Splits a rule line as iptables-restore does: blanks separate, double quotes group. */
function tokens(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

function parseNet(text: string, negated: boolean): Net | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  return { address, prefix, negated };
}

function portOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const first = text.split(/[,:]/)[0];
  if (first === undefined || !/^\d+$/.test(first)) return undefined;
  const port = Number(first);
  return port <= 65535 ? port : undefined;
}

function ruleFacts(text: string): { rules: RuleFacts[]; sets: Map<string, number> } {
  const rules: RuleFacts[] = [];
  const sets = new Map<string, number>();
  let table = "filter";
  for (const raw of text.split("\n")) {
    const line = raw
      .replace(/\r$/, "")
      .trim()
      .replace(/^\[\d+:\d+\]\s*/, "");
    if (line.startsWith("*")) table = line.slice(1).trim();
    if (!line.startsWith("-A ")) continue;
    const words = tokens(line);
    const facts: { -readonly [K in keyof RuleFacts]: RuleFacts[K] } = { table, chain: words[1]! };
    for (let i = 2; i < words.length; i++) {
      const negated = words[i] === "!";
      if (negated) i++;
      const word = words[i]!;
      const arg = words[i + 1];
      switch (word) {
        case "-s":
        case "--source":
          facts.src = arg === undefined ? undefined : parseNet(arg, negated);
          break;
        case "-d":
        case "--destination":
          facts.dst = arg === undefined ? undefined : parseNet(arg, negated);
          break;
        case "-p":
        case "--protocol":
          if (!negated) facts.proto = arg?.toLowerCase();
          break;
        case "--dport":
        case "--destination-port":
        case "--dports":
        case "--destination-ports":
          if (!negated) facts.dport = portOf(arg);
          break;
        case "--sport":
        case "--source-port":
          if (!negated) facts.sport = portOf(arg);
          break;
        case "--icmp-type": {
          const m = /^(\d+)(?:\/(\d+))?$/.exec(arg ?? "");
          if (m && !negated) facts.icmp = { type: Number(m[1]), ...(m[2] !== undefined && { code: Number(m[2]) }) };
          break;
        }
        case "-i":
        case "--in-interface":
          if (!negated) facts.in = arg;
          break;
        case "-o":
        case "--out-interface":
          if (!negated) facts.out = arg;
          break;
        case "--match-set":
        case "--add-set":
        case "--del-set": {
          const dims = words[i + 2]?.split(",").length ?? 1;
          if (arg !== undefined) sets.set(arg, Math.max(dims, sets.get(arg) ?? 1));
          break;
        }
      }
    }
    rules.push(facts);
  }
  return { rules, sets };
}

// ---------------------------------------------------------------------------------------
// Aiming packets.

const INTERFACES = ["eth0", "docker0", "br-net1", "br-dummy"] as const;
type From = { readonly in: (typeof INTERFACES)[number] } | { readonly local: true };
const ROTATION: readonly From[] = [{ in: "eth0" }, { in: "docker0" }, { local: true }];

const PEER_ADDRESS: Readonly<Record<(typeof INTERFACES)[number], string>> = {
  eth0: "10.99.0.2",
  docker0: "172.17.0.2",
  "br-net1": "172.18.0.2",
  "br-dummy": "192.168.0.2",
};
const HOST_ADDRESS: Readonly<Record<(typeof INTERFACES)[number], string>> = {
  eth0: "10.99.0.1",
  docker0: "172.17.0.1",
  "br-net1": "172.18.0.1",
  "br-dummy": "192.168.0.1",
};

function dotted(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** An address inside the net (its first host when it has room), or one outside when negated. */
function inside(net: Net): number {
  if (net.negated) return outside({ ...net, negated: false });
  const mask = net.prefix === 0 ? 0 : (0xffffffff << (32 - net.prefix)) >>> 0;
  const base = (net.address & mask) >>> 0;
  return net.prefix <= 30 ? base + 1 : net.address >>> 0;
}

/** An address just outside the net: the bit right above its prefix flipped (none for /0). */
function outside(net: Net): number {
  if (net.negated) return inside({ ...net, negated: false });
  if (net.prefix === 0) return net.address;
  return (inside(net) ^ (1 << (32 - net.prefix))) >>> 0;
}

/*
 * A host process's packet to a broadcast or multicast address is both delivered and sent,
 * which the oracle cannot report as one place: such destinations are sent from ext instead.
 */
const isGroup = (net: Net | undefined): boolean => net !== undefined && !net.negated && net.prefix > 0 && (net.address >>> 28 === 14 || net.address === 0xffffffff);

function originFor(rule: RuleFacts, k: number): From {
  if (isGroup(rule.dst)) return { in: "eth0" };
  const wanted = rule.in?.replace(/\+$/, "");
  if (wanted !== undefined) {
    if (wanted === "lo") return { local: true };
    const iface = INTERFACES.find((i) => (rule.in!.endsWith("+") ? i.startsWith(wanted) : i === wanted));
    if (iface) return { in: iface };
  }
  if (rule.chain === "OUTPUT" || (rule.chain === "POSTROUTING" && k % 2 === 0)) return { local: true };
  return ROTATION[k % ROTATION.length]!;
}

function packetText(rule: RuleFacts, from: From, dst: string, src: string, miss: "port" | undefined, k: number): string {
  const proto = rule.proto === "udp" || rule.proto === "icmp" ? rule.proto : "tcp";
  if (proto === "icmp") {
    const icmp = rule.icmp ?? { type: 8 };
    const type = miss === "port" ? (icmp.type === 8 ? 0 : 8) : icmp.type;
    return `icmp ${src} -> ${dst} [type ${type}]${icmp.code !== undefined && miss === undefined ? ` [code ${icmp.code}]` : ""}`;
  }
  const dport = (rule.dport ?? (from === ROTATION[2] ? 443 : 22)) + (miss === "port" ? 1 : 0);
  const sport = rule.sport ?? 40000 + k;
  return `${proto} ${src}:${sport} -> ${dst}:${dport % 65536}`;
}

interface Aimed {
  readonly why: string;
  readonly packet: string;
  readonly origin: From;
}

/** A matching packet and a near miss for each of a few rules spread over the dump. */
function aim(rules: readonly RuleFacts[], count: number): Aimed[] {
  const candidates = rules.filter((r) => (r.dst && r.dst.prefix > 0) || (r.src && r.src.prefix > 0) || r.dport !== undefined || r.icmp !== undefined);
  const picked = Array.from({ length: Math.min(count, candidates.length) }, (_, k) => candidates[Math.floor((k * candidates.length) / Math.min(count, candidates.length))]!);
  return picked.flatMap((rule, k) => {
    const from = originFor(rule, k);
    const peer = "local" in from ? undefined : from.in;
    const local = "local" in from;
    const defaultDst = rule.chain.includes("INPUT") || rule.chain === "PREROUTING" ? (peer ? HOST_ADDRESS[peer] : "10.99.0.1") : peer === "eth0" ? "172.17.0.2" : "10.99.1.10";
    const defaultSrc = peer ? PEER_ADDRESS[peer] : "10.99.0.1";
    const dst = rule.dst ? dotted(inside(rule.dst)) : defaultDst;
    const src = rule.src && !local ? dotted(inside(rule.src)) : defaultSrc;
    const where = `${rule.table} ${rule.chain}`;
    const hit = { why: `aimed at a rule of ${where}`, packet: packetText(rule, from, dst, src, undefined, k), origin: from };
    const miss =
      rule.dport !== undefined || rule.icmp !== undefined
        ? packetText(rule, from, dst, src, "port", k)
        : rule.dst && rule.dst.prefix > 0
          ? packetText(rule, from, dotted(outside(rule.dst)), src, undefined, k)
          : rule.src && rule.src.prefix > 0 && !local
            ? packetText(rule, from, dst, dotted(outside(rule.src)), undefined, k)
            : undefined;
    return miss === undefined ? [hit] : [hit, { why: `a near miss of a rule of ${where}`, packet: miss, origin: from }];
  });
}

// ---------------------------------------------------------------------------------------

const available = conformanceAvailable();
const skipReason = !existsSync(dir) ? `${dir} is missing (the shared corpus sits next to the repository)` : !available.ok ? available.reason : undefined;
if (skipReason) console.log(`corpus conformance skipped: ${skipReason}`);

/** IPSET_MAXNAMELEN - 1; longer names cannot exist, so the kernel refuses those rules anyway. */
const IPSET_MAX_NAME = 31;
/** Set types to try by the number of src/dst words a rule looks up (a kernel may lack some modules). */
const SET_TYPES: readonly (readonly string[])[] = [
  ["hash:net", "hash:ip"],
  ["hash:net,port", "hash:ip,port"],
  ["hash:net,port,net", "hash:ip,port,net", "hash:ip,port,ip"],
];

describe.skipIf(skipReason !== undefined)("real-world dumps agree with the kernel", () => {
  const lab = sharedLab(available);
  const tally = { dumps: 0, refused: 0, packets: 0, agreed: 0, branch: 0 };
  afterAll(async () => {
    if (tally.dumps > 0) {
      console.log(
        `corpus conformance: ${tally.dumps} dumps tried, ${tally.refused} refused by the kernel, ${tally.packets} packets compared ` +
          `(${tally.agreed} agreed, ${tally.branch} agreed with one branch of a trace forked on an unknown match)`,
      );
    }
  });

  // IPv6 dumps (`.rules6`) have no place in the IPv4 lab.topology; only `.rules` are read.
  test.for(dumps.map((d): [string, Dump] => [d.name, d]))("%s", { timeout: 120_000 }, async ([name, dump], ctx) => {
    tally.dumps++;
    const { rules, sets } = ruleFacts(dump.text);
    const ns = lab.topology.namespaces.host;
    const created: string[] = [];
    for (const [set, dims] of sets) {
      if (set.length > IPSET_MAX_NAME) continue;
      let error = "";
      for (const type of SET_TYPES[Math.min(dims, 3) - 1]!) {
        const made = await ns.exec(["ipset", "create", set, type, "-exist"]);
        if (made.code === 0) {
          created.push(set);
          error = "";
          break;
        }
        error = made.stderr.trim();
      }
      if (error) console.log(`corpus: ${name}: cannot create ipset ${set}: ${error}`);
    }
    try {
      const count = rules.length > BIG_DUMP_RULES ? RULES_PER_BIG_DUMP : RULES_PER_DUMP;
      const aimed = aim(rules, count);
      const disagreements: string[] = [];
      for (const a of aimed) {
        const c: Case = { rules: dump.text, packet: a.packet, origin: a.origin };
        const verdict = await compare(lab.topology, lab.host, c);
        if (!verdict.kernel.loaded) {
          tally.refused++;
          const message = verdict.kernel.message.split("\n").slice(0, 2).join(" ").trim();
          console.log(`corpus: ${name} skipped, the kernel refuses it: ${message}`);
          ctx.skip(`the kernel refuses it: ${message}`);
        }
        tally.packets++;
        const from = "local" in a.origin ? "--local" : `--in ${a.origin.in}`;
        if (verdict.agree) tally.agreed++;
        else if (agreeingBranch(verdict) !== undefined) tally.branch++;
        else disagreements.push(`${a.why}: ${from} "${a.packet}"\n    ${verdict.differences.join("\n    ")}\n    kernel: ${JSON.stringify(verdict.kernel)}`);
      }
      expect(disagreements, name).toEqual([]);
    } finally {
      if (created.length > 0) {
        await clearTables(lab.topology);
        for (const set of created) await ns.exec(["ipset", "destroy", set]);
      }
    }
  });
});
