import { describe, expect, test } from "vitest";
import { parseIpAddr, parseIpRoute } from "../../src/host/index.js";
import { formatAddress } from "../../src/host/prefix.js";
import { dockerHostFiles } from "./helpers.js";

const fixture = dockerHostFiles();

describe.skipIf(fixture === undefined)("the docker-host fixture", () => {
  test("interfaces, their addresses and bridge ports", () => {
    const parsed = parseIpAddr(fixture!.addr, "ip-addr.json");
    if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
    const summary = parsed.value.map((i) => [i.name, i.index, i.kind, i.up, i.master ?? "-", i.addresses.map((a) => `${formatAddress(a.address)}/${a.prefixLength} ${a.scope}`).join(",")]);
    expect(summary).toEqual([
      ["lo", 1, "loopback", true, "-", "127.0.0.1/8 host"],
      ["docker0", 2, "ether", true, "-", "172.17.0.1/16 global"],
      ["br-net1", 3, "ether", true, "-", "172.18.0.1/16 global"],
      ["br-dummy", 4, "ether", true, "-", "192.168.0.1/24 global"],
      ["eth0", 247, "ether", true, "-", "10.99.0.1/24 global"],
      ["veth-ctr", 249, "ether", true, "docker0", ""],
      ["veth-ctr2", 251, "ether", true, "br-net1", ""],
      ["veth-ctr3", 253, "ether", true, "br-dummy", ""],
    ]);
  });

  test("the main table, with the default route", () => {
    const parsed = parseIpRoute(fixture!.route, "ip-route.json");
    if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
    const summary = parsed.value.map((r) => `${formatAddress(r.destination)}/${r.prefixLength} ${r.type} ${r.device} ${r.gateway ? formatAddress(r.gateway) : "-"} ${r.scope} ${r.metric}`);
    expect(summary).toEqual([
      "0.0.0.0/0 unicast eth0 10.99.0.2 global 0",
      "10.99.0.0/24 unicast eth0 - link 0",
      "172.17.0.0/16 unicast docker0 - link 0",
      "172.18.0.0/16 unicast br-net1 - link 0",
      "192.168.0.0/24 unicast br-dummy - link 0",
    ]);
  });
});

describe("what real ip -json prints", () => {
  test("secondary, assigned broadcast and IPv6 addresses; {} entries are skipped", () => {
    const text = JSON.stringify([
      {
        ifindex: 3,
        ifname: "eth0",
        flags: ["BROADCAST", "UP"],
        link_type: "ether",
        addr_info: [
          { family: "inet", local: "10.99.0.1", prefixlen: 24, scope: "global" },
          { family: "inet", local: "10.50.0.1", prefixlen: 16, broadcast: "10.50.255.255", scope: "global" },
          { family: "inet", local: "10.99.0.7", prefixlen: 24, scope: "global", secondary: true },
          { family: "inet6", local: "fe80::1", prefixlen: 64, scope: "link", tentative: true },
          {},
        ],
      },
      { ifindex: 4, ifname: "tun0", flags: ["POINTOPOINT"], link_type: "none", addr_info: [] },
    ]);
    const parsed = parseIpAddr(text, "a.json");
    if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
    const [eth0, tun0] = parsed.value;
    expect(eth0!.addresses.map((a) => [formatAddress(a.address), a.broadcast && formatAddress(a.broadcast), a.secondary, a.tentative])).toEqual([
      ["10.99.0.1", undefined, false, false],
      ["10.50.0.1", "10.50.255.255", false, false],
      ["10.99.0.7", undefined, true, false],
      ["fe80::1", undefined, false, true],
    ]);
    expect([tun0!.kind, tun0!.up]).toEqual(["other", false]);
  });

  test("route types, host routes without a length, metrics and IPv6", () => {
    const text = JSON.stringify([
      { type: "blackhole", dst: "10.200.0.0/16", flags: [] },
      { type: "unreachable", dst: "10.201.0.0/16", flags: [] },
      { type: "prohibit", dst: "10.202.0.0/16", metric: 7, flags: [] },
      { dst: "10.9.9.9", gateway: "10.99.0.3", dev: "eth0", flags: [] },
      { dst: "default", dev: "ppp0", scope: "link", flags: [] },
    ]);
    const parsed = parseIpRoute(text, "r.json");
    if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
    expect(parsed.value.map((r) => `${r.type} ${formatAddress(r.destination)}/${r.prefixLength} ${r.metric} ${r.family}`)).toEqual([
      "blackhole 10.200.0.0/16 0 ipv4",
      "unreachable 10.201.0.0/16 0 ipv4",
      "prohibit 10.202.0.0/16 7 ipv4",
      "unicast 10.9.9.9/32 0 ipv4",
      "unicast 0.0.0.0/0 0 ipv4",
    ]);
    const v6 = parseIpRoute(
      JSON.stringify([
        { dst: "default", gateway: "fe80::1", dev: "eth0", protocol: "ra", metric: 1024, pref: "medium", flags: [] },
        { dst: "2001:db8::/64", dev: "eth0", metric: 256, flags: [] },
      ]),
      "r6.json",
    );
    if (!v6.ok) throw new Error(v6.diagnostics[0]!.message);
    expect(v6.value.map((r) => `${r.family} ${formatAddress(r.destination)}/${r.prefixLength} ${r.metric}`)).toEqual(["ipv6 ::/0 1024", "ipv6 2001:db8::/64 256"]);
  });
});

describe("bad input is a diagnostic with a position", () => {
  test("a JSON syntax error points at its line and column", () => {
    const parsed = parseIpAddr('[\n {"ifname": "lo",\n }\n]', "bad.json");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics[0]).toMatchObject({ code: "ip-json-syntax", severity: "error", span: { file: "bad.json", line: 3, column: 2 } });
  });

  test("truncated input points at its end", () => {
    const parsed = parseIpRoute('[{"dst": "default"', "cut.json");
    expect(!parsed.ok && parsed.diagnostics[0]).toMatchObject({ code: "ip-json-syntax", span: { line: 1, column: 19 } });
  });

  test("not an array", () => {
    const parsed = parseIpRoute('{"dst": "default"}', "r.json");
    expect(!parsed.ok && parsed.diagnostics[0]).toMatchObject({ code: "ip-json-shape", span: { file: "r.json", line: 1, column: 1 } });
  });

  test("a bad address names the entry and points at the field", () => {
    const text =
      '[\n {"ifindex": 1, "ifname": "lo", "flags": [], "addr_info": []},\n {"ifindex": 2, "ifname": "eth0", "flags": [], "addr_info": [\n  {"family": "inet", "local": "10.0.0.300", "prefixlen": 24}]}\n]';
    const parsed = parseIpAddr(text, "a.json");
    expect(!parsed.ok && parsed.diagnostics[0]).toMatchObject({
      code: "ip-json-shape",
      message: 'interface entry 2 (eth0), address 1: "local" must be an IPv4 address',
      span: { line: 4, column: 31 },
    });
  });

  test("route entries with a bad destination, type or metric", () => {
    const parsed = parseIpRoute(JSON.stringify([{ dst: "10.0.0.0/33" }, { dst: "10.1.0.0/16", type: "nat" }, { dst: "10.2.0.0/16", metric: -1 }, { gateway: "10.0.0.1" }]), "r.json");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([
      'route entry 1 (10.0.0.0/33): "dst" must be "default", an address or address/length',
      'route entry 2 (10.1.0.0/16): route type "nat" is not one nfwalk models (unicast, local, broadcast, multicast, anycast, blackhole, unreachable, prohibit, throw)',
      'route entry 3 (10.2.0.0/16): "metric" must be a non-negative integer',
      'route entry 4: "dst" must be a string',
    ]);
  });

  test("an interface listed twice", () => {
    const entry = { ifindex: 1, ifname: "lo", flags: [], addr_info: [] };
    const parsed = parseIpAddr(JSON.stringify([entry, entry]), "a.json");
    expect(!parsed.ok && parsed.diagnostics[0]!.message).toBe('interface "lo" is listed twice');
  });
});
