/**
 * The real collector on a real host: examples/kube-node's node built in network
 * namespaces, its kube-proxy rules loaded with iptables-restore and an ipset created,
 * `nfwalk snapshot`'s collector run inside it through `ip netns exec`, and the snapshot
 * checked against the live rules and `ip -json` output: every trace must be the same.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { execRunner } from "../../src/cli/snapshot.js";
import { collectSnapshot, writeSnapshot, type Snapshot } from "../../src/snapshot/index.js";
import { kernelAvailable, mustSucceed, namespaceName, run } from "../kernel/netns.js";
import { runCli } from "../helpers/memory-io.js";

const example = resolve(import.meta.dirname, "../../examples/kube-node");
const kernel = kernelAvailable();
if (!kernel.ok) console.log(`test/snapshot/netns.test.ts: skipped: ${kernel.reason}`);

const packets = [
  ["--in", "cni0", "tcp 10.244.0.5:40000 -> 10.96.0.30:8080"],
  ["--in", "eth0", "tcp 192.168.1.50:40000 -> 192.168.1.10:30080"],
  ["--in", "cni0", "tcp 10.244.0.5:40000 -> 10.96.0.40:80"],
  ["--in", "cni0", "udp 10.244.0.5:40000 -> 10.96.0.10:53"],
  ["--in", "eth0", "tcp 192.168.1.50:40000 -> 10.244.1.7:8080"],
  ["--local", "tcp 192.168.1.10:40000 -> 10.96.0.20:80"],
];

describe.skipIf(!kernel.ok)("nfwalk snapshot of a namespace host", () => {
  const node = `${namespaceName()}-n`;
  const peer = `${namespaceName()}-e`;
  const ns = (...argv: string[]) => ["ip", "netns", "exec", node, ...argv];
  let snapshot: Snapshot;
  const live: Record<string, string> = {};

  beforeAll(async () => {
    await mustSucceed(["sh", resolve(example, "build-node.sh"), node, peer]);
    const restore = await run(ns("iptables-restore"), readFileSync(resolve(example, "rules.v4"), "utf8"));
    expect(restore.stderr).toBe("");
    await mustSucceed(ns("ipset", "create", "allowed", "hash:net"));
    await mustSucceed(ns("ipset", "add", "allowed", "192.168.1.0/24"));
    snapshot = await collectSnapshot(execRunner(["ip", "netns", "exec", node]), new Date());
    for (const [file, argv] of [
      ["rules.v4", ns("iptables-save")],
      ["ip-addr.json", ["ip", "-n", node, "-json", "addr", "show"]],
      ["ip-route.json", ["ip", "-n", node, "-json", "route", "show"]],
    ] as const) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      live[file] = r.stdout;
    }
    live["bridge"] = (await run(ns("sysctl", "-n", "-e", "net.bridge.bridge-nf-call-iptables"))).stdout.trim() || "0";
  }, 60_000);

  afterAll(async () => {
    await run(["ip", "netns", "del", node]);
    await run(["ip", "netns", "del", peer]);
  });

  test("the snapshot holds the namespace's rules, addresses, routes, sysctls and ipsets, and says what it missed", () => {
    // Counters move between the two saves; comments carry the time.
    const rules = (lines: readonly string[]) => lines.filter((l) => !l.startsWith("#")).map((l) => l.replace(/\[\d+:\d+\]/, "[0:0]"));
    expect(rules(snapshot.iptables!)).toEqual(rules(live["rules.v4"]!.trimEnd().split("\n")));
    expect(snapshot.ip.addr).toEqual(JSON.parse(live["ip-addr.json"]!));
    expect(snapshot.ip.route).toEqual(JSON.parse(live["ip-route.json"]!));
    expect(snapshot.sysctls["net.ipv4.ip_forward"]).toBe("1");
    expect(snapshot.sysctls["net.ipv4.conf.flannel/1.rp_filter"]).toBe("0");
    expect(snapshot.ipset).toContain("add allowed 192.168.1.0/24");
    expect(snapshot.kubernetes).toEqual({ kubeProxyMode: "iptables" });
    // The namespace's own count of tracked connections (nf_conntrack is loaded: the rules' DNATs need it).
    expect(snapshot.conntrack).toEqual({ entries: expect.any(Number) });
    expect(snapshot.sysctls["net.netfilter.nf_conntrack_count"]).toBeUndefined();
    // Docker's daemon is not in the namespace's reach (or not installed): missing, with a reason.
    if (snapshot.docker === null) expect(snapshot.missing.find((m) => m.what === "docker")?.reason).toMatch(/\S/);
  });

  test.each(packets)("trace %s %s: the snapshot answers as the live rules and ip -json files do", async (...args) => {
    const files = { ...live, "snap.json": writeSnapshot(snapshot) };
    const fromSnapshot = await runCli(["trace", "--host", "snap.json", "--json", ...args], files);
    const fromFiles = await runCli(
      ["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--sysctl", `net.bridge.bridge-nf-call-iptables=${live["bridge"]}`, "--json", ...args],
      files,
    );
    expect(fromSnapshot.stderr).toBe("");
    expect(fromSnapshot.code).toBe(fromFiles.code);
    expect(JSON.parse(fromSnapshot.stdout)).toEqual(JSON.parse(fromFiles.stdout));
  });
});
