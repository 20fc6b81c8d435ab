import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { kubeChainKind, kubeProxyMode, kubeProxyView, kubeRoutes, parseKubeComment } from "../../src/kube/index.js";
import { parseIpAddr, parseIpRoute, parseSysctls, type Host } from "../../src/host/index.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { tracePacket } from "../../src/engine/pipeline.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { runCli } from "../helpers/memory-io.js";
import { sharedCorpus } from "../helpers/shared-corpus.js";

const dir = resolve(import.meta.dirname, "../../examples/kube-node");
const corpus = sharedCorpus("real");
const read = (f: string) => readFileSync(join(dir, f), "utf8");
const ok = <T>(r: { ok: true; value: T } | { ok: false }): T => (r.ok ? r.value : expect.fail("did not parse"));

function load(text: string, file = "rules.v4"): Ruleset {
  const r = parseRuleset(text, { file });
  return r.ok ? r.ruleset : expect.fail(JSON.stringify(r.diagnostics));
}

const ruleset = load(read("rules.v4"));
const view = kubeProxyView(ruleset)!;
const host: Host = {
  interfaces: ok(parseIpAddr(read("ip-addr.json"), "ip-addr.json")),
  routes: ok(parseIpRoute(read("ip-route.json"), "ip-route.json")),
  sysctls: ok(parseSysctls(["net.bridge.bridge-nf-call-iptables=1"])),
  origin: { kind: "files" },
};

/** The kernel's chance for kube-proxy's --probability 1/n: lround(2^31 × "%0.10f" of 1/n) / 2^31. */
const kernelChance = (n: number) => Math.round(Number((1 / n).toFixed(10)) * 0x80000000) / 0x80000000;

function trace(spec: string, iface: string) {
  const packet = parsePacketSpec(spec);
  if (!packet.ok) throw new Error(packet.message);
  return tracePacket({ ruleset, host, packet: packet.packet, ingress: { kind: "interface", name: iface } });
}

describe("kube-proxy's services from its rules", () => {
  test("the mode, and the chains by kind", () => {
    expect(kubeProxyMode(ruleset)).toBe("iptables");
    expect(["KUBE-SERVICES", "KUBE-SVC-X", "KUBE-SEP-X", "KUBE-EXT-X", "KUBE-FW-X", "KUBE-SVL-X", "KUBE-MARK-MASQ", "KUBE-NODEPORTS", "DOCKER"].map(kubeChainKind)).toEqual([
      "services",
      "service",
      "endpoint",
      "external",
      "load-balancer-firewall",
      "service-local",
      "mark-masq",
      "nodeports",
      undefined,
    ]);
  });

  test.skipIf(corpus === undefined)("an IPVS-mode node (real dump)", () => {
    const ipvs = load(readFileSync(join(corpus!, "blog-k8s-notes__k8s-1.23-ipvs-calico-nat.rules"), "utf8"));
    expect(kubeProxyMode(ipvs)).toBe("ipvs");
  });

  test("comments name the service port, the portal and the endpoint", () => {
    expect(parseKubeComment("default/web:http cluster IP")).toEqual({ kind: "portal", service: "default/web:http", portal: "cluster IP" });
    expect(parseKubeComment("default/api -> 10.244.1.8:8080")).toEqual({ kind: "endpoint", service: "default/api", endpoint: "10.244.1.8:8080" });
    expect(parseKubeComment("masquerade traffic for default/jtest external destinations")).toEqual({ kind: "masquerade", service: "default/jtest" });
    expect(parseKubeComment("default/empty:http has no endpoints")).toEqual({ kind: "no-endpoints", service: "default/empty:http" });
    expect(parseKubeComment("kubernetes service portals")).toBeUndefined();
  });

  test("services with their portals and endpoints; endpoint odds from the kernel's rounded probabilities", () => {
    const summary = view.services.map((s) => ({ name: s.name, portals: s.portals.map((p) => `${p.kind} ${p.address ?? "*"}:${p.port}/${p.protocol}`), endpoints: s.endpoints.map((e) => e.address) }));
    expect(summary.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "default/api", portals: ["cluster IP 10.96.0.30:8080/tcp"], endpoints: ["10.244.0.6:8080", "10.244.1.8:8080", "10.244.2.9:8080"] },
      { name: "default/empty:http", portals: ["cluster IP 10.96.0.40:80/tcp"], endpoints: [] },
      { name: "default/web:http", portals: ["cluster IP 10.96.0.20:80/tcp", "node port *:30080/tcp"], endpoints: ["10.244.0.5:8080", "10.244.1.7:8080"] },
      { name: "kube-system/kube-dns:dns", portals: ["cluster IP 10.96.0.10:53/udp"], endpoints: ["10.244.0.3:53", "10.244.1.4:53"] },
    ]);
    const api = view.services.find((s) => s.name === "default/api")!.endpoints.map((e) => e.probability);
    const [p1, p2] = [kernelChance(3), kernelChance(2)];
    expect(api).toEqual([p1, (1 - p1) * p2, (1 - p1) * (1 - p2)]);
    api.forEach((p) => expect(p).toBeCloseTo(1 / 3, 9));
    expect(view.services.find((s) => s.name === "default/web:http")!.endpoints.map((e) => e.probability)).toEqual([0.5, 0.5]);
  });
});

describe("traces through kube-proxy's rules", () => {
  test("a pod to a cluster IP with 3 endpoints: one branch each, 1/3 each as the kernel rounds it", () => {
    const t = trace("tcp 10.244.0.5:40000 -> 10.96.0.30:8080", "cni0");
    const routes = kubeRoutes(t, ruleset, view);
    expect(routes.map((r) => [r.service.name, r.portal?.kind, r.endpoint?.address, r.outcome])).toEqual([
      ["default/api", "cluster IP", "10.244.0.6:8080", "forwarded"],
      ["default/api", "cluster IP", "10.244.1.8:8080", "forwarded"],
      ["default/api", "cluster IP", "10.244.2.9:8080", "forwarded"],
    ]);
    const [p1, p2] = [kernelChance(3), kernelChance(2)];
    expect(routes.map((r) => r.probability)).toEqual([p1, (1 - p1) * p2, (1 - p1) * (1 - p2)]);
  });

  test("from outside to a node port: 2 endpoints, 0.5 / 0.5, masqueraded", () => {
    const t = trace("tcp 192.168.1.50:40000 -> 192.168.1.10:30080", "eth0");
    const routes = kubeRoutes(t, ruleset, view);
    expect(routes.map((r) => [r.service.name, r.portal?.kind, r.portal?.port, r.endpoint?.address, r.probability])).toEqual([
      ["default/web:http", "node port", 30080, "10.244.0.5:8080", 0.5],
      ["default/web:http", "node port", 30080, "10.244.1.7:8080", 0.5],
    ]);
    expect(t.branches.map((b) => b.steps.some((s) => s.type === "nat" && s.kind === "masquerade"))).toEqual([true, true]);
  });

  test("a service without endpoints is rejected, and the route names it", () => {
    const routes = kubeRoutes(trace("tcp 10.244.0.5:40000 -> 10.96.0.40:80", "cni0"), ruleset, view);
    expect(routes.map((r) => [r.service.name, r.portal?.kind, r.endpoint, r.outcome])).toEqual([["default/empty:http", "cluster IP", undefined, "rejected"]]);
  });

  test("a packet that meets no service has no route", () => {
    expect(kubeRoutes(trace("tcp 10.244.0.5:40000 -> 192.168.1.50:22", "cni0"), ruleset, view)).toEqual([]);
  });

  test("the text trace ends with a kubernetes: line; other rulesets get none", async () => {
    const files = { "rules.v4": read("rules.v4"), "ip-addr.json": read("ip-addr.json"), "ip-route.json": read("ip-route.json") };
    const r = await runCli(["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", "cni0", "udp 10.244.0.5:40000 -> 10.96.0.10:53"], files);
    // Either endpoint, the packet is forwarded: reached whichever way the random choice goes (exit 0, not 3).
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("kubernetes: kube-system/kube-dns:dns via cluster IP 10.96.0.10:53 → 10.244.0.3:53 50% (forwarded), 10.244.1.4:53 50% (forwarded)\n");
    const plain = await runCli(["trace", "--rules", "s.v4", "--in", "eth0", "tcp 10.0.0.2:1 -> 10.0.0.1:22"], { "s.v4": "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n" });
    expect(plain.stdout).not.toContain("kubernetes:");
  });
});

describe("why names the services a packet meets", () => {
  const files = { "rules.v4": read("rules.v4"), "ip-addr.json": read("ip-addr.json"), "ip-route.json": read("ip-route.json") };
  const why = (iface: string, packet: string, json = false) =>
    runCli(["why", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", iface, ...(json ? ["--json"] : []), packet], files);

  test("--json: the service, the portal it came in through, each endpoint with its chance and outcome", async () => {
    const r = await why("eth0", "tcp 192.168.1.50 -> 192.168.1.10:30080", true);
    expect(JSON.parse(r.stdout).kubernetes).toEqual([
      {
        service: "default/web:http",
        via: { kind: "node port", protocol: "tcp", port: 30080, line: 68 },
        endpoints: [
          { address: "10.244.0.5:8080", probability: 0.5, outcomes: ["forwarded"] },
          { address: "10.244.1.7:8080", probability: 0.5, outcomes: ["forwarded"] },
        ],
      },
    ]);
  });

  test("text: a service line under the answer; a service without endpoints says so", async () => {
    const dns = await why("cni0", "udp 10.244.0.5 -> 10.96.0.10:53");
    expect(dns.stdout).toContain("\nservice   kube-system/kube-dns:dns via cluster IP 10.96.0.10:53 → 10.244.0.3:53 50% (forwarded), 10.244.1.4:53 50% (forwarded)\n");
    const empty = await why("cni0", "tcp 10.244.0.5 -> 10.96.0.40:80", true);
    expect(JSON.parse(empty.stdout).kubernetes).toEqual([
      {
        service: "default/empty:http",
        via: { kind: "cluster IP", protocol: "tcp", address: "10.96.0.40", port: 80, line: 31 },
        endpoints: [{ address: null, probability: null, outcomes: ["rejected"] }],
      },
    ]);
  });

  test("a packet that meets no service has no kubernetes member", async () => {
    expect(JSON.parse((await why("cni0", "tcp 10.244.0.5 -> 192.168.1.50:22", true)).stdout).kubernetes).toBeUndefined();
  });
});

describe.skipIf(corpus === undefined)("real kube-proxy dumps", () => {
  test("flannel k8s 1.26: node ports through KUBE-EXT, endpoints from KUBE-SEP DNATs", () => {
    const v = kubeProxyView(load(readFileSync(join(corpus!, "blog-k8s-flannel__k8s-1.26-flannel-master.rules"), "utf8")))!;
    const jtest = v.services.find((s) => s.name === "default/jtest")!;
    expect(jtest.portals.map((p) => `${p.kind} ${p.port}`)).toEqual(["cluster IP 8080", "node port 31455"]);
    expect(jtest.endpoints.map((e) => [e.address, e.probability])).toEqual([
      ["10.244.1.19:8080", 0.5],
      ["10.244.2.17:8080", 0.5],
    ]);
    expect(v.serviceOfChain("KUBE-EXT-FXJ34XFJ55FJZHFP")).toBe(jtest);
  });

  test("k8s 1.11 (no per-endpoint comments): the endpoint still comes from its DNAT", () => {
    const v = kubeProxyView(load(readFileSync(join(corpus!, "bossjones-kubeadm__k8s-1.11-docker-18.06-fresh.rules"), "utf8")))!;
    expect(v.services.map((s) => [s.name, s.endpoints.map((e) => [e.address, e.probability])])).toContainEqual(["default/kubernetes:https", [["192.168.50.101:6443", 1]]]);
  });
});
