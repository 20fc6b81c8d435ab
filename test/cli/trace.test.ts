import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files: Record<string, string> = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const simple = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n";
const host = ["--addr", "ip-addr.json", "--route", "ip-route.json"];

describe("nfwalk trace", () => {
  test("the JSON shape of the contract: packet, outcome, delivered, steps", async () => {
    const r = await runCli(["trace", "--rules", "s.v4", ...host, "--in", "eth0", "--json", "tcp 10.99.0.2:40000 -> 10.99.0.1:22"], { ...files, "s.v4": simple });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.packet).toEqual({ proto: "tcp", src: "10.99.0.2", dst: "10.99.0.1", sport: 40000, dport: 22 });
    expect(t.outcome).toBe("delivered");
    expect(t.delivered.packet).toEqual(t.packet);
    expect(t.steps.filter((s: { type: string }) => s.type === "rule" || s.type === "policy")).toEqual([
      { hook: "INPUT", table: "filter", chain: "INPUT", type: "rule", rule: 1, line: 3, target: "ACCEPT" },
    ]);
  });

  test("a dropped packet exits 1, and the policy step says which chain", async () => {
    const r = await runCli(["trace", "--rules", "s.v4", ...host, "--in", "eth0", "--json", "tcp 10.99.0.2:40000 -> 10.99.0.1:23"], { ...files, "s.v4": simple });
    expect(r.code).toBe(1);
    const t = JSON.parse(r.stdout);
    expect(t.outcome).toBe("dropped");
    expect(t.steps.at(-1)).toEqual({ hook: "INPUT", table: "filter", chain: "INPUT", type: "policy", policy: "DROP" });
  });

  test("an unknown match makes the outcome undetermined (exit 3) and names it; --assume pins it", async () => {
    const rules = "*filter\n:INPUT DROP [0:0]\n-A INPUT -m frobnicate --level 3 -j ACCEPT\nCOMMIT\n";
    const open = await runCli(["trace", "--rules", "u.v4", ...host, "--in", "eth0", "--json", "udp 10.99.0.2:1 -> 10.99.0.1:2"], { ...files, "u.v4": rules });
    expect(open.code).toBe(3);
    const t = JSON.parse(open.stdout);
    expect(t.outcome).toBe("undetermined");
    expect(t.reason).toContain("-m frobnicate");
    expect(t.branches.map((b: { outcome: string }) => b.outcome).sort()).toEqual(["delivered", "dropped"]);
    const pinned = await runCli(["trace", "--rules", "u.v4", ...host, "--in", "eth0", "--assume", "frobnicate=match", "udp 10.99.0.2:1 -> 10.99.0.1:2"], { ...files, "u.v4": rules });
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain("pinned by --assume");
  });

  test("--batch gives one JSON trace a line, in order, and the worst exit code", async () => {
    const batch = ['{"packet": "tcp 10.99.0.2:40000 -> 10.99.0.1:22", "in": "eth0"}', '{"packet": "tcp 10.99.0.2:40000 -> 10.99.0.1:23", "in": "eth0"}', ""].join("\n");
    const r = await runCli(["trace", "--rules", "s.v4", ...host, "--batch", "b.jsonl", "--json"], { ...files, "s.v4": simple, "b.jsonl": batch });
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((t) => t.outcome)).toEqual(["delivered", "dropped"]);
    expect(r.code).toBe(1);
  });

  test.each([
    ["no packet", ["--in", "eth0"], "trace needs a PACKET"],
    ["no origin", ["tcp 1.2.3.4:1 -> 10.99.0.1:2"], "--in IFACE"],
    ["a bad packet", ["--in", "eth0", "tcp 1.2.3.4 -> 10.99.0.1:2"], "tcp needs ports"],
    ["an unknown interface", ["--in", "wlan9", "tcp 1.2.3.4:1 -> 10.99.0.1:2"], "--in wlan9: the host has no such interface"],
    ["a bad sysctl", ["--sysctl", "net.ipv4.bogus=1", "--in", "eth0", "tcp 1.2.3.4:1 -> 10.99.0.1:2"], "net.ipv4.bogus"],
    ["--addr without --route", ["--addr", "ip-addr.json", "--in", "eth0", "tcp 1.2.3.4:1 -> 10.99.0.1:2"], "--addr and --route go together"],
  ])("%s is a usage error: exit 2, nothing on stdout", async (_name, args, message) => {
    const hostArgs = args.includes("--addr") ? [] : host;
    const r = await runCli(["trace", "--rules", "s.v4", ...hostArgs, ...args], { ...files, "s.v4": simple });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("a bad batch line names its file and line", async () => {
    const r = await runCli(["trace", "--rules", "s.v4", ...host, "--batch", "b.jsonl"], {
      ...files,
      "s.v4": simple,
      "b.jsonl": '{"packet": "tcp 10.99.0.2:1 -> 10.99.0.1:22", "in": "eth0"}\n{"packet": 7}\n',
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("b.jsonl:2:1:");
  });

  test("without --addr/--route the default host is built around the dump", async () => {
    const r = await runCli(["trace", "--rules", "rules.v4", "--in", "eth0", "--json", "tcp 10.0.0.2:40000 -> 10.0.0.1:22"], files);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).outcome).toBe("delivered");
  });
});

describe("nfwalk trace: an IPv6 packet of next header 1 (ICMP's number)", () => {
  // ip6tables' `-p icmp` is next header 1; the default host is built around the dump.
  const rules6 = "# Generated by ip6tables-save v1.8.9 (nf_tables)\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p icmp -j ACCEPT\nCOMMIT\n";
  test("is traced when written as the number: the packet says 1 (JSON and text) and `-p icmp` matches it", async () => {
    const r = await runCli(["trace", "--rules", "r.v6", "--in", "eth0", "--json", "1 2001:db8::7 -> 2001:db8::1"], { "r.v6": rules6 });
    expect(r.stderr).toBe("");
    const t = JSON.parse(r.stdout);
    expect(t.packet).toEqual({ proto: "1", src: "2001:db8::7", dst: "2001:db8::1" });
    expect(t.outcome).toBe("delivered");
    expect(t.delivered.packet.proto).toBe("1");
    expect(t.steps.filter((s: { type: string }) => s.type === "rule")).toMatchObject([{ chain: "INPUT", rule: 1, line: 4 }]);
    const text = await runCli(["trace", "--rules", "r.v6", "--in", "eth0", "1 2001:db8::7 -> 2001:db8::1"], { "r.v6": rules6 });
    expect(text.stdout).toContain("proto 1 2001:db8::7 -> 2001:db8::1");
  });

  test("written as the name icmp it is refused (icmp over IPv6 means icmpv6), on the command line and in a batch at its line", async () => {
    const hint = 'use "icmpv6" for IPv6 (a packet of next header 1 is "1 SRC -> DST")';
    const single = await runCli(["trace", "--rules", "r.v6", "--in", "eth0", "icmp 2001:db8::7 -> 2001:db8::1"], { "r.v6": rules6 });
    expect(single.code).toBe(2);
    expect(single.stdout).toBe("");
    expect(single.stderr).toContain(`bad PACKET "icmp 2001:db8::7 -> 2001:db8::1": ${hint}`);
    const batch = await runCli(["trace", "--rules", "r.v6", "--batch", "b.jsonl"], {
      "r.v6": rules6,
      "b.jsonl": '{"packet": "1 2001:db8::7 -> 2001:db8::1", "in": "eth0"}\n{"packet": "icmp 2001:db8::7 -> 2001:db8::1", "in": "eth0"}\n',
    });
    expect(batch.code).toBe(2);
    expect(batch.stdout).toBe("");
    expect(batch.stderr).toContain(`b.jsonl:2:1: bad packet "icmp 2001:db8::7 -> 2001:db8::1": ${hint}`);
  });
});

describe("nfwalk trace --ipset", () => {
  const rules = "*filter\n:INPUT DROP [0:0]\n-A INPUT -m set --match-set allowed src -j ACCEPT\nCOMMIT\n";
  const ipsets = "create allowed hash:net family inet hashsize 1024 maxelem 65536\nadd allowed 10.99.0.0/24\n";
  test("decides -m set from the host's ipset save", async () => {
    const inside = await runCli(["trace", "--rules", "s.v4", ...host, "--ipset", "sets", "--in", "eth0", "--json", "tcp 10.99.0.2:40000 -> 10.99.0.1:22"], { ...files, "s.v4": rules, sets: ipsets });
    expect(JSON.parse(inside.stdout).outcome).toBe("delivered");
    const outside = await runCli(["trace", "--rules", "s.v4", ...host, "--ipset", "sets", "--in", "eth0", "--json", "tcp 203.0.113.7:40000 -> 10.99.0.1:22"], {
      ...files,
      "s.v4": rules,
      sets: ipsets,
    });
    expect(JSON.parse(outside.stdout).outcome).toBe("dropped");
  });

  test("without it, -m set is unknown and names the set", async () => {
    const r = await runCli(["trace", "--rules", "s.v4", ...host, "--in", "eth0", "--json", "tcp 10.99.0.2:40000 -> 10.99.0.1:22"], { ...files, "s.v4": rules });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).reason).toContain('ipset "allowed"');
  });
});
