/**
 * The kernel as the reference for routing: the docker-host topology's host namespace is
 * built for real (veth pairs, bridges, the fixture's addresses and routes, plus error
 * routes, a secondary address and competing routes), nfwalk's host is read from that
 * namespace's own `ip -json addr/route show`, and every decision is compared with
 * `ip -json route get` — with `iif` for received packets, without for locally sent ones —
 * under several sysctl settings.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { localRoutesV4, routeInput, routeOutput, type Host, type RouteDecision } from "../../src/host/index.js";
import { formatAddress } from "../../src/host/prefix.js";
import { hostFromJson, packet } from "./helpers.js";

function skipReason(): string | undefined {
  if (process.platform !== "linux") return "not Linux";
  if (process.getuid?.() !== 0) return "not running as root";
  const probe = spawnSync("ip", ["-V"], { encoding: "utf8" });
  return probe.status === 0 ? undefined : "iproute2 (ip) is not usable";
}
const skipped = skipReason();
if (skipped !== undefined) console.log(`host kernel-routing tests skipped: ${skipped}`);

const ns = `nfwh-${process.pid}-${randomBytes(3).toString("hex")}`;

function run(args: readonly string[], allowFailure = false): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  const result = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
  if (result.status !== 0 && !allowFailure) throw new Error(`${args.join(" ")}: ${result.stderr.trim()}`);
  return result;
}
const ip = (...args: string[]) => run(["ip", "-n", ns, ...args]);
const sysctl = (...settings: string[]) => run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", ...settings]);

/** The host namespace of ../shared/fixtures/docker-host, with extra routes to exercise every route type. */
function buildTopology(): void {
  run(["ip", "netns", "add", ns]);
  sysctl("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
  ip("link", "set", "lo", "up");
  ip("link", "add", "eth0", "type", "veth", "peer", "name", "ext0");
  for (const [bridge, port] of [
    ["docker0", "veth-ctr"],
    ["br-net1", "veth-ctr2"],
    ["br-dummy", "veth-ctr3"],
  ] as const) {
    ip("link", "add", bridge, "type", "bridge");
    ip("link", "add", port, "type", "veth", "peer", "name", `${port}-c`);
    ip("link", "set", port, "master", bridge);
  }
  ip("addr", "add", "10.99.0.1/24", "dev", "eth0");
  ip("addr", "add", "10.99.0.7/24", "dev", "eth0"); // secondary
  ip("addr", "add", "172.17.0.1/16", "dev", "docker0");
  ip("addr", "add", "172.18.0.1/16", "dev", "br-net1");
  ip("addr", "add", "192.168.0.1/24", "dev", "br-dummy");
  ip("addr", "add", "2001:db8:99::1/64", "dev", "eth0", "nodad");
  ip("link", "add", "down0", "type", "veth", "peer", "name", "down0-p"); // stays down
  ip("addr", "add", "10.77.0.1/24", "brd", "+", "dev", "down0");
  for (const dev of ["eth0", "ext0", "docker0", "br-net1", "br-dummy", "veth-ctr", "veth-ctr-c", "veth-ctr2", "veth-ctr2-c", "veth-ctr3", "veth-ctr3-c"]) ip("link", "set", dev, "up");
  ip("route", "add", "default", "via", "10.99.0.2", "dev", "eth0");
  ip("route", "add", "blackhole", "10.200.0.0/16");
  ip("route", "add", "unreachable", "10.201.0.0/16");
  ip("route", "add", "prohibit", "10.202.0.0/16");
  ip("route", "add", "throw", "10.203.0.0/16");
  ip("route", "add", "10.210.0.0/16", "via", "10.99.0.3", "metric", "10");
  ip("route", "add", "10.210.0.0/16", "via", "10.99.0.4", "metric", "5");
  ip("route", "add", "10.210.5.0/24", "via", "10.99.0.5");
  ip("route", "add", "10.220.0.0/16", "dev", "docker0");
  ip("-6", "route", "add", "default", "via", "2001:db8:99::2", "dev", "eth0");
  ip("-6", "route", "add", "blackhole", "2001:db8:200::/48");
}

/** nfwalk's host, read from the namespace as a user would: `ip -json addr/route show`. */
function readHost(settings: readonly string[]): Host {
  const addrText = ip("-json", "addr", "show").stdout;
  const routes = [...JSON.parse(ip("-json", "route", "show").stdout), ...JSON.parse(ip("-json", "-6", "route", "show").stdout)];
  return hostFromJson(addrText, JSON.stringify(routes), settings);
}

const ERRNO: Readonly<Record<string, string>> = {
  "Network is unreachable": "ENETUNREACH",
  "No route to host": "EHOSTUNREACH",
  "Invalid argument": "EINVAL",
  "Permission denied": "EACCES",
  "Invalid cross-device link": "EXDEV",
};

/** `ip route get` as one comparable word: local:TYPE, forward:DEV:GATEWAY:TYPE or error:ERRNO. */
function kernelAnswer(args: readonly string[]): string {
  const r = run(["ip", "-n", ns, "-json", "route", "get", ...args], true);
  if (r.status !== 0) {
    const reason = r.stderr.replace(/^RTNETLINK answers: /, "").trim();
    return `error:${ERRNO[reason] ?? reason}`;
  }
  const [route] = JSON.parse(r.stdout) as { type?: string; dev: string; gateway?: string; cache?: string[] }[];
  const type = route!.type ?? "unicast";
  const local = route!.dev === "lo" || (route!.cache ?? []).includes("local");
  if (type !== "unicast" && local && route!.dev === "lo") return `local:${type}`;
  if (type === "local") return "local:local";
  return `forward:${route!.dev}:${route!.gateway ?? "-"}:${type}`;
}

function nfwalkAnswer(d: RouteDecision): string {
  switch (d.kind) {
    case "local":
      return `local:${d.type}`;
    case "forward":
      return `forward:${d.device}:${d.gateway ? formatAddress(d.gateway) : "-"}:${d.type}`;
    case "drop":
      return `error:${d.errno ?? "none"}`;
  }
}

/** Received packets: [destination, source, input device]. */
const INPUT_CASES: readonly (readonly [string, string, string])[] = [
  ["10.99.0.1", "10.99.0.2", "eth0"], // local
  ["172.17.0.1", "10.99.0.2", "eth0"], // another interface's address: weak host model
  ["10.99.0.7", "10.99.0.2", "eth0"], // secondary address
  ["10.77.0.1", "10.99.0.2", "eth0"], // the address of a device that is down
  ["10.77.0.255", "10.99.0.2", "eth0"], // ... has no broadcast route
  ["172.17.0.2", "10.99.0.2", "eth0"], // to a container
  ["172.18.0.2", "172.17.0.2", "docker0"], // between bridges
  ["192.168.0.2", "10.99.0.2", "eth0"],
  ["10.99.1.10", "172.17.0.2", "docker0"], // default route
  ["8.8.8.8", "172.17.0.2", "docker0"],
  ["10.99.0.5", "172.17.0.2", "docker0"], // on-link on eth0
  ["10.99.0.255", "10.99.0.2", "eth0"], // subnet broadcast
  ["172.17.255.255", "10.99.0.2", "eth0"], // another subnet's broadcast
  ["255.255.255.255", "10.99.0.2", "eth0"], // limited broadcast
  ["255.255.255.255", "0.0.0.0", "eth0"], // DHCP discover
  ["172.17.0.0", "10.99.0.2", "eth0"], // a network address: no broadcast route on today's kernels
  ["127.0.0.1", "10.99.0.2", "eth0"], // martian destination
  ["10.99.0.1", "127.0.0.1", "eth0"], // martian source
  ["10.99.0.1", "0.0.0.0", "eth0"],
  ["0.0.0.0", "10.99.0.2", "eth0"],
  ["10.99.0.1", "224.0.0.5", "eth0"],
  ["10.99.0.1", "10.99.0.7", "eth0"], // the host's own address as source
  ["10.99.0.1", "172.17.0.1", "eth0"],
  ["224.0.0.1", "10.99.0.2", "eth0"], // all-hosts
  ["224.1.2.3", "10.99.0.2", "eth0"], // a group nobody joined
  ["10.200.1.1", "10.99.0.2", "eth0"], // blackhole
  ["10.201.1.1", "10.99.0.2", "eth0"], // unreachable
  ["10.202.1.1", "10.99.0.2", "eth0"], // prohibit
  ["10.203.1.1", "10.99.0.2", "eth0"], // throw
  ["10.210.1.1", "10.99.0.2", "eth0"], // lowest metric wins, back out of eth0
  ["10.210.5.1", "172.17.0.2", "docker0"], // longest prefix wins
  ["10.220.0.9", "172.17.0.2", "eth0"], // rp_filter: the source's route is docker0, not eth0
  ["172.17.0.2", "172.18.0.2", "docker0"], // rp_filter: the source belongs to br-net1
  ["10.99.0.1", "8.8.8.8", "docker0"], // rp_filter loose: a route exists (default)
  ["10.99.0.1", "10.200.0.1", "eth0"], // rp_filter: the way back is a blackhole
  ["172.18.0.2", "172.17.0.2", "veth-ctr"], // a bridge port stands for its bridge
  ["2001:db8:99::1", "2001:db8:99::2", "eth0"],
  ["2001:db8:5::1", "2001:db8:99::2", "eth0"],
  ["2001:db8:200::1", "2001:db8:99::2", "eth0"],
];

const OUTPUT_CASES: readonly string[] = [
  "10.99.0.1",
  "10.77.0.1",
  "172.17.0.1",
  "127.0.0.1",
  "127.3.4.5",
  "0.0.0.0",
  "10.99.0.2",
  "172.17.0.2",
  "8.8.8.8",
  "10.99.0.255",
  "172.18.255.255",
  "255.255.255.255",
  "127.255.255.255", // through lo: back to this host
  "224.1.2.3",
  "10.200.1.1",
  "10.201.1.1",
  "10.202.1.1",
  "10.203.1.1",
  "10.210.1.1",
  "10.210.5.1",
  "2001:db8:99::1",
  "::1",
  "2001:db8:5::1",
  "2001:db8:200::1",
];

/** Sysctl scenarios: nfwalk flags, and the same written into the namespace. */
const SCENARIOS: readonly { readonly name: string; readonly flags: readonly string[] }[] = [
  { name: "forwarding on, rp_filter off", flags: ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"] },
  { name: "forwarding off", flags: ["net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0"] },
  { name: "strict rp_filter", flags: ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.conf.all.rp_filter=1"] },
  { name: "loose rp_filter on eth0, strict on docker0", flags: ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.conf.eth0.rp_filter=2", "net.ipv4.conf.docker0.rp_filter=1"] },
  { name: "route_localnet on eth0", flags: ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.conf.eth0.route_localnet=1"] },
];

describe.skipIf(skipped !== undefined)("routing decisions agree with the kernel (ip route get)", () => {
  beforeAll(buildTopology);
  afterAll(() => {
    run(["ip", "netns", "del", ns], true);
  });

  test("the local table is what the kernel derives from the addresses", () => {
    const host = readHost([]);
    const show = (type: string, dst: string, dev: string, src: string) => `${type} ${dst} dev ${dev} src ${src}`;
    const kernel = (JSON.parse(ip("-json", "route", "show", "table", "local").stdout) as { type: string; dst: string; dev: string; prefsrc: string }[])
      .map((r) => show(r.type, r.dst.includes("/") ? r.dst : `${r.dst}/32`, r.dev, r.prefsrc))
      .sort();
    const ours = localRoutesV4(host.interfaces)
      .map((r) => show(r.type, `${formatAddress(r.destination)}/${r.prefixLength}`, r.device!, formatAddress(r.preferredSource!)))
      .sort();
    expect(ours).toEqual(kernel);
  });

  describe.each(SCENARIOS)("$name", ({ flags }) => {
    let host: Host;
    beforeAll(() => {
      // Back to the baseline, then this scenario's settings.
      sysctl("net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.eth0.rp_filter=0", "net.ipv4.conf.docker0.rp_filter=0", "net.ipv4.conf.eth0.route_localnet=0", ...flags);
      host = readHost(flags);
    });

    test.each(INPUT_CASES)("received: %s from %s on %s", (dst, src, dev) => {
      const decision = routeInput(host, packet(src, dst), dev);
      // ip6_forward, not routing, drops IPv6 when forwarding is off: ip route get still shows the route.
      if (dst.includes(":") && decision.kind === "drop" && decision.reason === "forwarding-disabled") return;
      const iif = host.interfaces.find((i) => i.name === dev)?.master ?? dev;
      expect(nfwalkAnswer(decision), decision.detail).toBe(kernelAnswer([dst, "from", src, "iif", iif]));
    });

    test.each(OUTPUT_CASES)("sent: to %s", (dst) => {
      const source = dst.includes(":") ? "2001:db8:99::1" : "10.99.0.1";
      const decision = routeOutput(host, packet(source, dst));
      expect(nfwalkAnswer(decision), decision.detail).toBe(kernelAnswer([dst]));
    });
  });
});
