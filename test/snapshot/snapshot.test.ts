import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { collectSnapshot, parseSnapshot, writeSnapshot, type CommandResult, type Snapshot } from "../../src/snapshot/index.js";
import { run } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/kube-node");
const read = (f: string) => readFileSync(join(dir, f), "utf8");
const example = { "snapshot.json": read("snapshot.json"), "rules.v4": read("rules.v4"), "ip-addr.json": read("ip-addr.json"), "ip-route.json": read("ip-route.json") };
const snapshot = JSON.parse(example["snapshot.json"]) as Snapshot;
const edit = (change: (s: Record<string, unknown>) => void): string => {
  const copy = structuredClone(snapshot) as unknown as Record<string, unknown>;
  change(copy);
  return writeSnapshot(copy as unknown as Snapshot);
};

const exited = (stdout: string, status = 0, stderr = ""): CommandResult => ({ kind: "exited", status, stdout, stderr });

/** A host as an unprivileged user sees it: no ip6tables, no ipset, no Docker daemon. */
function fakeHost(argv: readonly string[]): CommandResult {
  const command = argv.join(" ");
  if (command === "iptables-save") return exited("", 4, "iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n");
  if (command === "ip6tables-save") return { kind: "not-run", reason: "ip6tables-save is not installed" };
  if (command === "ip -json addr show") return exited(read("ip-addr.json"));
  if (command === "ip -json route show") return exited(read("ip-route.json"));
  if (command === "ip -6 -json route show") return exited("[]\n");
  if (command === "ip -json rule show") return exited('[{"priority":0,"src":"all","table":"local"}]\n');
  if (argv[0] === "sysctl") return exited("net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter = 2\n");
  if (argv[0] === "ipset") return { kind: "not-run", reason: "ipset is not installed" };
  if (argv[0] === "docker") return exited("", 1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n");
  throw new Error(`unexpected command ${command}`);
}

describe("collecting a snapshot", () => {
  test("what cannot be read is null and listed in missing with the command's reason; the rest is kept", async () => {
    const commands: string[] = [];
    const s = await collectSnapshot(async (argv) => {
      commands.push(argv.join(" "));
      return fakeHost(argv);
    }, new Date("2026-01-01T00:00:00Z"));
    expect(s.format).toBe("nfwalk-snapshot/1");
    expect(s.taken).toBe("2026-01-01T00:00:00.000Z");
    expect([s.iptables, s.ip6tables, s.ipset, s.docker, s.kubernetes]).toEqual([null, null, null, null, null]);
    expect(s.missing.map((m) => m.what)).toEqual([
      "iptables-save",
      "ip6tables-save",
      "net.bridge.bridge-nf-call-iptables",
      "net.bridge.bridge-nf-call-ip6tables",
      "net.netfilter.nf_conntrack_count",
      "ipset save",
      "docker",
    ]);
    expect(s.conntrack).toBeNull();
    expect(s.missing[0]!.reason).toContain("Permission denied (you must be root) (exit status 4)");
    expect(s.missing[1]!.reason).toBe("ip6tables-save is not installed");
    expect(s.sysctls).toEqual({ "net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "2" });
    expect(s.ip.addr).toEqual(JSON.parse(read("ip-addr.json")));
    // Only reads: saves, shows, sysctl reads (no -w) and docker queries.
    expect(commands.every((c) => /^(ip6?tables-save|ip (-6 )?-json \w+ show|sysctl -e [\w./ -]+|ipset save|docker (ps|inspect|network (ls|inspect)))/.test(c) && !c.includes(" -w"))).toBe(true);
    expect(commands.find((c) => c.startsWith("sysctl"))).toContain("net.ipv4.conf.flannel/1.rp_filter");
  });

  test("with a docker daemon: containers and networks inspected; kube-proxy's mode from the rules", async () => {
    const s = await collectSnapshot(async (argv) => {
      const command = argv.join(" ");
      if (command === "iptables-save") return exited(read("rules.v4"));
      if (command === "docker ps -q --no-trunc") return exited("abc\n");
      if (command === "docker network ls -q --no-trunc") return exited("n1\nn2\n");
      if (command === "docker inspect abc") return exited('[{"Id":"abc"}]');
      if (command === "docker network inspect n1 n2") return exited('[{"Id":"n1"},{"Id":"n2"}]');
      return fakeHost(argv);
    }, new Date(0));
    expect(s.docker).toEqual({ containers: [{ Id: "abc" }], networks: [{ Id: "n1" }, { Id: "n2" }] });
    expect(s.kubernetes).toEqual({ kubeProxyMode: "iptables" });
    expect(s.iptables).toEqual(read("rules.v4").trimEnd().split("\n"));
  });

  test("how many connections the host tracks is kept as conntrack.entries, not as a sysctl", async () => {
    const s = await collectSnapshot(async (argv) => (argv[0] === "sysctl" ? exited("net.ipv4.ip_forward = 1\nnet.netfilter.nf_conntrack_count = 12\n") : fakeHost(argv)), new Date(0));
    expect(s.conntrack).toEqual({ entries: 12 });
    expect(s.sysctls).toEqual({ "net.ipv4.ip_forward": "1" });
    expect(s.missing.map((m) => m.what)).not.toContain("net.netfilter.nf_conntrack_count");
  });

  test("nfwalk snapshot -o FILE writes the file and lists what is missing on stderr", async () => {
    let stderr = "";
    const written = new Map<string, string>();
    const io: CliIO = { stdout: () => expect.fail("nothing on stdout"), drained: async () => {}, stderr: (t) => (stderr += t), readFile: async () => "", readPieces: async () => [], colour: false };
    const code = await run(["snapshot", "-o", "snap.json"], io, { run: async (argv) => fakeHost(argv), writeFile: async (p, t) => void written.set(p, t), now: () => new Date(0), isRoot: false });
    expect(code).toBe(0);
    expect(stderr).toContain("not running as root");
    expect(stderr).toContain("nfwalk snapshot: missing ip6tables-save: ip6tables-save is not installed\n");
    expect(stderr).toContain('wrote snap.json (7 parts missing, listed in "missing")');
    expect(JSON.parse(written.get("snap.json")!).missing).toHaveLength(7);
  });
});

describe("--host SNAPSHOT", () => {
  const packets = [
    ["--in", "cni0", "tcp 10.244.0.5:40000 -> 10.96.0.30:8080"],
    ["--in", "eth0", "tcp 192.168.1.50:40000 -> 192.168.1.10:30080"],
    ["--in", "cni0", "tcp 10.244.0.5:40000 -> 10.96.0.40:80"],
    ["--local", "udp 192.168.1.10:5353 -> 10.96.0.10:53"],
  ];
  const separate = ["--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--sysctl", "net.bridge.bridge-nf-call-iptables=1"];

  test.each(packets)("trace %s %s gives what the separate files give", async (...args) => {
    const fromSnapshot = await runCli(["trace", "--host", "snapshot.json", "--json", ...args], example);
    const fromFiles = await runCli(["trace", ...separate, "--json", ...args], example);
    expect(fromSnapshot.stderr).toBe("");
    expect(fromSnapshot.code).toBe(fromFiles.code);
    // rules.v4 is the snapshot's iptables-save: even the line numbers agree.
    expect(fromSnapshot.stdout).toBe(fromFiles.stdout);
  });

  test("the separate flags override the snapshot's parts", async () => {
    const rules = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
    const r = await runCli(["trace", "--host", "snapshot.json", "--rules", "drop.v4", "--in", "cni0", "--json", "tcp 10.244.0.5:40000 -> 192.168.1.50:22"], { ...example, "drop.v4": rules });
    expect(JSON.parse(r.stdout).outcome).toBe("dropped");
    const noForwarding = await runCli(["trace", "--host", "snapshot.json", "--sysctl", "net.ipv4.ip_forward=0", "--in", "cni0", "--json", "tcp 10.244.0.5:40000 -> 192.168.1.50:22"], example);
    expect(JSON.parse(noForwarding.stdout).outcome).toBe("dropped");
  });

  test("fmt --host prints the snapshot's iptables-save in canonical form", async () => {
    const r = await runCli(["fmt", "--host", "snapshot.json"], example);
    const direct = await runCli(["fmt", "rules.v4"], example);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(direct.stdout);
    expect((await runCli(["fmt", "rules.v4", "--host", "snapshot.json"], example)).stderr).toContain("one of them");
  });

  test("an error in an embedded dump is reported at its line and column in the snapshot file", async () => {
    const text = edit((s) => ((s["iptables"] as string[])[20] = '-A INPUT -m comment --comment "x" --dprot 80 -j ACCEPT'));
    const r = await runCli(["trace", "--host", "s.json", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], { "s.json": text });
    expect(r.code).toBe(2);
    const line = text.split("\n").findIndex((l) => l.includes("--dprot")) + 1;
    const column = text.split("\n")[line - 1]!.indexOf("--dprot") + 1;
    expect(r.stderr).toContain(`s.json:${line}:${column}: error: unknown option "--dprot"`);
    expect(r.stdout).toBe("");
  });

  test("an error in an ip -json section points into the snapshot file", async () => {
    const text = edit((s) => ((s["ip"] as { addr: { ifindex: unknown }[] }).addr[1]!.ifindex = "two"));
    const r = await runCli(["trace", "--host", "s.json", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], { "s.json": text });
    const line = text.split("\n").findIndex((l) => l.includes('"ifindex": "two"')) + 1;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`s\\.json:${line}:\\d+: error: interface entry 2: "ifindex" must be an integer`));
  });

  test("the format is checked; missing parts say why", async () => {
    const newer = await runCli(["fmt", "--host", "s.json"], { "s.json": edit((s) => (s["format"] = "nfwalk-snapshot/2")) });
    expect(newer.stderr).toContain("a newer snapshot format than this nfwalk reads");
    const other = parseSnapshot('{"hello": 1}', "x.json");
    expect(other.ok ? "" : other.diagnostics[0]!.message).toContain("not an nfwalk snapshot");
    const noRules = await runCli(["trace", "--host", "s.json", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], {
      "s.json": edit((s) => {
        s["iptables"] = null;
        s["missing"] = [{ what: "iptables-save", reason: "Permission denied (you must be root)" }];
      }),
    });
    expect(noRules.code).toBe(2);
    expect(noRules.stderr).toContain("the snapshot has no iptables-save output (Permission denied (you must be root)); give the rules with --rules FILE");
    const neither = await runCli(["trace", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], {});
    expect(neither.stderr).toContain("--rules FILE (an iptables-save dump) or --host FILE");
  });

  test("a host that tracked connections while its rules need no conntrack has it on; the trace says why", async () => {
    const rules = ["*nat", ":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j RETURN", "COMMIT"];
    const withEntries = (entries: number | null, ip6tables: string[] | null) =>
      edit((s) => {
        s["iptables"] = rules;
        s["ip6tables"] = ip6tables;
        s["conntrack"] = entries === null ? null : { entries };
      });
    const trace = async (text: string) => JSON.parse((await runCli(["trace", "--host", "s.json", "--json", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], { "s.json": text })).stdout);
    const conntrackStep = (t: { steps: { type: string; state?: string; detail?: string }[] }) => t.steps.find((s) => s.type === "conntrack")!;
    const on = await trace(withEntries(5, null));
    expect(conntrackStep(on).state).toBe("NEW");
    expect(on.steps.filter((s: { type: string }) => s.type === "rule")).toHaveLength(1);
    expect(conntrackStep(await trace(withEntries(0, null))).state).toBe("off");
    expect(conntrackStep(await trace(withEntries(null, null))).state).toBe("off");
    // The IPv6 rules need conntrack: they explain the entries, and the IPv4 rules decide.
    const ipv6Nat = ["*nat", ":POSTROUTING ACCEPT [0:0]", "-A POSTROUTING -j MASQUERADE", "COMMIT"];
    expect(conntrackStep(await trace(withEntries(5, ipv6Nat))).state).toBe("off");
    const why = await runCli(["why", "--host", "s.json", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], { "s.json": withEntries(5, null) });
    expect(why.stdout).toContain("conntrack connection tracking runs although no rule needs it: s.json: the host was tracking 5 connections");
  });

  test("policy routing rules beyond the kernel's own get a warning", async () => {
    const text = edit((s) => (s["ip"] as { rule: unknown[] }).rule.push({ priority: 100, src: "all", fwmark: "0x1", table: "vpn" }));
    const r = await runCli(["trace", "--host", "s.json", "--in", "eth0", "tcp 1.2.3.4:1 -> 192.168.1.10:22"], { "s.json": text });
    expect(r.stderr).toContain("1 policy routing rule (ip rule) beyond the default ones");
  });
});
