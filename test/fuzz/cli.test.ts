/**
 * Damaged and hostile input at every command, through the in-memory CLI: real dumps (the
 * shared corpus when present, the project's examples always), `ip -json` and Docker files,
 * snapshots, ipset save output, --batch files and packets, each with random edits. Whatever
 * comes in, nfwalk answers with a documented exit code; a refusal (exit 2) says where
 * (FILE:LINE:COL, or the flag or argument at fault); no stack trace, no raw control
 * character on the terminal, and output bounded by the input.
 *
 * A fixed seed keeps CI repeatable; NFWALK_SEED=random (or a number) explores other
 * inputs, NFWALK_FUZZ_RUNS sets how many per command.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { corrupt, hostileCorruption, type Edit } from "../arbitraries/corruption.js";
import { runCli, type RunResult } from "../helpers/memory-io.js";

const RUNS = Number(process.env.NFWALK_FUZZ_RUNS ?? 40);
const seedSetting = process.env.NFWALK_SEED ?? "20261206";
const seed = seedSetting === "random" ? Date.now() % 2 ** 31 : Number(seedSetting);

const examples = resolve(import.meta.dirname, "../../examples");
const read = (...path: string[]) => readFileSync(join(examples, ...path), "utf8");
const shared = resolve(import.meta.dirname, "../../../shared/corpus/real");
const sharedDumps = existsSync(shared) ? readdirSync(shared).filter((f) => /\.rules6?$/.test(f)) : [];
if (sharedDumps.length === 0) console.log(`fuzz: ${shared} does not exist; corrupting the project's examples only`);

/** Dumps by name, IPv6 ones ending in 6. */
const DUMPS: ReadonlyMap<string, string> = new Map([
  ...["rules.v4", "rules-docker-user.v4", "rules-docker-user-port.v4", "rules-ufw.v4"].map((f) => [`docker-${f}`, read("docker-host", f)] as const),
  ["kube-rules.v4", read("kube-node", "rules.v4")],
  ...sharedDumps.map((f) => [f.replace(/\.rules6$/, ".v6").replace(/\.rules$/, ".v4"), readFileSync(join(shared, f), "utf8")] as const),
]);

const IPSET = "create allow hash:ip family inet hashsize 1024 maxelem 65536\nadd allow 10.99.0.2\ncreate ports hash:ip,port family inet\nadd ports 10.99.0.2,tcp:22\n";
const PACKETS = {
  ipv4: ["tcp 10.99.0.2:40000 -> 10.99.0.1:22", "udp 10.99.0.2:5353 -> 172.17.0.2:53", "icmp 10.99.0.2 -> 10.99.0.1 [type 8]", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080 [flags SYN,ACK]"],
  ipv6: ["tcp [2001:db8::2]:40000 -> [2001:db8::1]:22", "udp [fe80::2]:546 -> [ff02::1:2]:547"],
} as const;

/** What is fed in, by role; the role `corrupted` names is damaged. */
interface Inputs {
  readonly dump: string;
  readonly family: "ipv4" | "ipv6";
  readonly packet: string;
  /** For reach and diff. */
  readonly packetSet: string;
  readonly files: Record<string, string>;
}

const ROLES = ["rules", "addr", "route", "docker", "networks", "snapshot", "ipset", "batch", "packet"] as const;
type Role = (typeof ROLES)[number];
const FILE_OF: Readonly<Record<Exclude<Role, "packet">, string>> = {
  rules: "rules.dump",
  addr: "addr.json",
  route: "route.json",
  docker: "inspect.json",
  networks: "networks.json",
  snapshot: "snapshot.json",
  ipset: "ipset.save",
  batch: "batch.jsonl",
};

function inputs(dumpName: string, packetIndex: number): Inputs {
  const family = dumpName.endsWith(".v6") ? "ipv6" : "ipv4";
  const packets = PACKETS[family];
  const packet = packets[packetIndex % packets.length]!;
  const files: Record<string, string> = {
    [FILE_OF.rules]: DUMPS.get(dumpName)!,
    "after.dump": DUMPS.get(dumpName)!,
    [FILE_OF.addr]: read("docker-host", "ip-addr.json"),
    [FILE_OF.route]: read("docker-host", "ip-route.json"),
    [FILE_OF.docker]: read("docker-host", "docker-inspect.json"),
    [FILE_OF.networks]: read("docker-host", "docker-network-inspect.json"),
    [FILE_OF.snapshot]: read("kube-node", "snapshot.json"),
    [FILE_OF.ipset]: IPSET,
    [FILE_OF.batch]: packets.map((p, i) => JSON.stringify(i % 2 === 0 ? { packet: p, in: "eth0" } : { packet: p, local: true })).join("\n") + "\n",
  };
  const packetSet = family === "ipv4" ? "tcp,udp any -> 10.99.0.1:1-1024" : "tcp any -> 2001:db8::1";
  return { dump: dumpName, family, packet, packetSet, files };
}

/** The command lines, each reading some of the inputs. */
const COMMANDS: Readonly<Record<string, { readonly reads: readonly Role[]; readonly argv: (i: Inputs) => string[] }>> = {
  fmt: { reads: ["rules"], argv: () => ["fmt", FILE_OF.rules] },
  "fmt --host": { reads: ["snapshot"], argv: () => ["fmt", "--host", FILE_OF.snapshot] },
  trace: { reads: ["rules", "addr", "route", "packet"], argv: (i) => ["trace", "--rules", FILE_OF.rules, ...hostFiles(i), "--in", "eth0", i.packet] },
  "trace --json --ipset": {
    reads: ["rules", "addr", "route", "ipset", "packet"],
    argv: (i) => ["trace", "--json", "--rules", FILE_OF.rules, ...hostFiles(i), "--ipset", FILE_OF.ipset, "--local", i.packet],
  },
  "trace --batch": { reads: ["rules", "addr", "route", "batch"], argv: (i) => ["trace", "--rules", FILE_OF.rules, ...hostFiles(i), "--batch", FILE_OF.batch] },
  "trace --host": { reads: ["snapshot", "packet"], argv: (i) => ["trace", "--host", FILE_OF.snapshot, "--in", "eth0", i.packet] },
  why: {
    reads: ["rules", "addr", "route", "docker", "networks", "packet"],
    argv: (i) => ["why", "--rules", FILE_OF.rules, ...hostFiles(i), "--docker-inspect", FILE_OF.docker, "--docker-networks", FILE_OF.networks, i.packet],
  },
  "why --host": { reads: ["snapshot", "packet"], argv: (i) => ["why", "--host", FILE_OF.snapshot, i.packet] },
  reach: { reads: ["rules", "addr", "route", "packet"], argv: (i) => ["reach", "--rules", FILE_OF.rules, ...hostFiles(i), "--in", "eth0", i.packetSet] },
  diff: { reads: ["rules", "addr", "route", "packet"], argv: (i) => ["diff", FILE_OF.rules, "after.dump", ...hostFiles(i), "--in", "eth0", i.packetSet] },
  ports: {
    reads: ["rules", "addr", "route", "docker", "networks"],
    argv: (i) => ["ports", "--rules", FILE_OF.rules, ...hostFiles(i), "--docker-inspect", FILE_OF.docker, "--docker-networks", FILE_OF.networks],
  },
};

/** The example host's files for an IPv4 dump; IPv6 dumps get the default host built around them. */
const hostFiles = (i: Inputs) => (i.family === "ipv4" ? ["--addr", FILE_OF.addr, "--route", FILE_OF.route] : []);

/** The inputs with the role's file (or the packet) damaged by the edits. */
function damaged(i: Inputs, role: Role, edits: readonly Edit[]): Inputs {
  if (role === "packet") return { ...i, packet: corrupt(i.packet, edits), packetSet: corrupt(i.packetSet, edits) };
  return { ...i, files: { ...i.files, [FILE_OF[role]]: corrupt(i.files[FILE_OF[role]]!, edits) } };
}

/**
 * A refusal says where: a FILE:LINE:COL of an input, the flag or argument at fault, or the file when the
 * fault is the whole file (not a summary such as "1 error; nothing was loaded", which follows positioned errors).
 */
function positioned(stderr: string): boolean {
  const files = [...Object.values(FILE_OF), "after.dump"].map((f) => f.replace(".", "\\.")).join("|");
  if (new RegExp(`(${files}):\\d+:\\d+: `).test(stderr) || /(^|\s)--[a-z][a-z-]+\b|PACKET|packet "|^error: (unknown option|missing required argument) '/m.test(stderr)) return true;
  return new RegExp(`\\b(${files})\\b`).test(stderr) && !/nothing was loaded|cannot be used|cannot be loaded/.test(stderr);
}

function checkAnswer(r: RunResult, i: Inputs): void {
  const context = `exit ${r.code}\n${r.stderr.slice(0, 2000)}`;
  expect([0, 1, 2, 3], context).toContain(r.code);
  expect(r.stderr, context).not.toMatch(/\n\s+at |internal error|Maximum call stack|TypeError|RangeError/);
  // Control characters but line break and tab never reach the terminal from an error message.
  expect(r.stderr, context).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  const inputSize = Object.values(i.files).reduce((n, t) => n + t.length, i.packet.length);
  expect(r.stdout.length + r.stderr.length, context).toBeLessThan(10 * inputSize + 100_000);
  if (r.code === 2) {
    expect(r.stdout, context).toBe("");
    expect(positioned(r.stderr), context).toBe(true);
  }
}

const dumpName = fc.constantFrom(...DUMPS.keys());
const edits = fc.array(hostileCorruption, { minLength: 1, maxLength: 4 });

describe(`hostile input at every command (seed ${seed}, ${RUNS} runs each)`, () => {
  test.each(Object.keys(COMMANDS))(
    "%s",
    async (name) => {
      const command = COMMANDS[name]!;
      await fc.assert(
        fc.asyncProperty(dumpName, fc.nat(), fc.constantFrom(...command.reads), edits, async (dump, packetIndex, role, damage) => {
          const i = damaged(inputs(dump, packetIndex), role, damage);
          checkAnswer(await runCli(command.argv(i), i.files), i);
        }),
        { numRuns: RUNS, seed },
      );
    },
    120_000,
  );
});
