/**
 * Routing, addrtype and NAT addresses on the docker-host fixture (the kernel comparison is
 * kernel-routing.test.ts); cases the kernel test cannot show (ICMP errors, TTL, IPv6 receive
 * checks) are pinned here from the kernel sources cited in src/host.
 */
import { describe, expect, test } from "vitest";
import { addressType, bridgeOf, masqueradeAddress, primaryAddress, receiveCheck, redirectAddress, routeInput, routeOutput, type Host } from "../../src/host/index.js";
import { formatAddress } from "../../src/host/prefix.js";
import { addr, dockerHostFiles, hostFromJson, packet } from "./helpers.js";

const fixture = dockerHostFiles();
const host = (...sysctls: string[]): Host => hostFromJson(fixture!.addr, fixture!.route, sysctls);
const text = (a: ReturnType<typeof addr> | undefined) => (a === undefined ? undefined : formatAddress(a));

describe.skipIf(fixture === undefined)("docker-host", () => {
  const h = fixture === undefined ? undefined! : host();

  test("received packets: local, forwarded, through a bridge port", () => {
    expect(routeInput(h, packet("10.99.0.2", "10.99.0.1"), "eth0")).toMatchObject({ kind: "local", device: "eth0", type: "local" });
    expect(routeInput(h, packet("10.99.0.2", "172.17.0.2"), "eth0")).toMatchObject({ kind: "forward", device: "docker0", gateway: undefined, type: "unicast" });
    const out = routeInput(h, packet("172.17.0.2", "10.99.1.10"), "veth-ctr");
    expect(out).toMatchObject({ kind: "forward", device: "eth0", type: "unicast" });
    expect(out.kind === "forward" && text(out.gateway)).toBe("10.99.0.2");
    expect(routeInput(h, packet("172.17.0.2", "172.17.0.1"), "veth-ctr")).toMatchObject({ kind: "local", device: "docker0" });
  });

  test("the ICMP error the kernel sends back (ip_error), and none without forwarding", () => {
    const noDefault = hostFromJson(fixture!.addr, JSON.stringify(JSON.parse(fixture!.route).slice(1)));
    expect(routeInput(noDefault, packet("10.99.0.2", "8.8.8.8"), "eth0")).toMatchObject({ kind: "drop", reason: "no-route", errno: "ENETUNREACH", icmp: { type: 3, code: 0 } });
    expect(routeInput(host("net.ipv4.ip_forward=0"), packet("10.99.0.2", "172.17.0.2"), "eth0")).toMatchObject({ kind: "drop", reason: "forwarding-disabled", icmp: undefined });
  });

  test("TTL 1 expires before FORWARD; local delivery does not care", () => {
    expect(routeInput(h, packet("10.99.0.2", "172.17.0.2", { ttl: 1 }), "eth0")).toMatchObject({ kind: "drop", reason: "ttl-exceeded", icmp: { type: 11, code: 0 } });
    expect(routeInput(h, packet("10.99.0.2", "10.99.0.1", { ttl: 1 }), "eth0")).toMatchObject({ kind: "local" });
  });

  test("martians", () => {
    expect(routeInput(h, packet("10.99.0.2", "127.0.0.1"), "eth0")).toMatchObject({ kind: "drop", reason: "martian-destination" });
    expect(routeInput(host("net.ipv4.conf.eth0.route_localnet=1"), packet("10.99.0.2", "127.0.0.1"), "eth0")).toMatchObject({ kind: "local" });
    expect(routeInput(h, packet("172.17.0.1", "10.99.0.1"), "eth0")).toMatchObject({ kind: "drop", reason: "martian-source" });
  });

  test("locally sent packets", () => {
    expect(routeOutput(h, packet("10.99.0.1", "172.17.0.1"))).toMatchObject({ kind: "local", device: "lo" });
    expect(routeOutput(h, packet("10.99.0.1", "172.18.0.2"))).toMatchObject({ kind: "forward", device: "br-net1" });
    expect(routeOutput(h, packet("10.99.0.1", "172.18.255.255"))).toMatchObject({ kind: "forward", device: "br-net1", type: "broadcast" });
  });

  test("a broadcast sent through lo comes back to this host; elsewhere it leaves and a copy loops back (ip_mc_output)", () => {
    expect(routeOutput(h, packet("127.0.0.1", "127.255.255.255"))).toMatchObject({ kind: "local", device: "lo", type: "broadcast" });
    for (const dst of ["172.18.255.255", "255.255.255.255"]) {
      const sent = routeOutput(h, packet("10.99.0.1", dst));
      expect(sent).toMatchObject({ kind: "forward", type: "broadcast" });
      expect(sent.detail).toMatch(/copy also loops back/);
    }
  });

  test("-m addrtype, with and without --limit-iface", () => {
    expect(addressType(h, addr("10.99.0.1"))).toBe("LOCAL");
    expect(addressType(h, addr("127.9.9.9"))).toBe("LOCAL");
    expect(addressType(h, addr("172.17.255.255"))).toBe("BROADCAST");
    expect(addressType(h, addr("0.0.0.0"))).toBe("BROADCAST");
    expect(addressType(h, addr("224.0.0.1"))).toBe("MULTICAST");
    expect(addressType(h, addr("8.8.8.8"))).toBe("UNICAST");
    expect(addressType(h, addr("10.99.0.1"), "eth0")).toBe("LOCAL");
    expect(addressType(h, addr("10.99.0.1"), "docker0")).toBe("UNICAST");
  });

  test("MASQUERADE, REDIRECT and primary addresses", () => {
    expect(text(masqueradeAddress(h, "eth0", addr("10.99.0.2")))).toBe("10.99.0.1");
    expect(text(masqueradeAddress(h, "veth-ctr", addr("172.17.0.2")))).toBe("172.17.0.1"); // no address: the first global one of any device
    expect(text(redirectAddress(h, "eth0", addr("10.99.0.1")))).toBe("10.99.0.1");
    expect(text(redirectAddress(h, "veth-ctr2", addr("10.99.0.1")))).toBe("172.18.0.1");
    expect(text(redirectAddress(h, undefined, addr("10.99.0.1")))).toBe("127.0.0.1");
    expect(text(primaryAddress(h, "br-dummy", "ipv4"))).toBe("192.168.0.1");
    expect(bridgeOf(h, "veth-ctr3")).toBe("br-dummy");
    expect(bridgeOf(h, "eth0")).toBeUndefined();
  });
});

describe("hand-written hosts", () => {
  const addrText = JSON.stringify([
    {
      ifindex: 1,
      ifname: "lo",
      flags: ["LOOPBACK", "UP"],
      link_type: "loopback",
      addr_info: [
        { family: "inet", local: "127.0.0.1", prefixlen: 8, scope: "host" },
        { family: "inet6", local: "::1", prefixlen: 128, scope: "host" },
      ],
    },
    {
      ifindex: 2,
      ifname: "eth0",
      flags: ["UP"],
      link_type: "ether",
      addr_info: [
        { family: "inet", local: "10.0.0.1", prefixlen: 24, scope: "global" },
        { family: "inet", local: "10.5.0.1", prefixlen: 16, scope: "global" },
        { family: "inet", local: "10.0.0.9", prefixlen: 24, scope: "global", secondary: true },
        { family: "inet6", local: "2001:db8::1", prefixlen: 64, scope: "global" },
        { family: "inet6", local: "fe80::1", prefixlen: 64, scope: "link" },
      ],
    },
  ]);
  const routeText = JSON.stringify([
    { dst: "default", gateway: "10.5.0.254", dev: "eth0", flags: [] },
    { dst: "10.0.0.0/24", dev: "eth0", scope: "link", prefsrc: "10.0.0.1" },
    { dst: "10.5.0.0/16", dev: "eth0", scope: "link", prefsrc: "10.5.0.1" },
    { dst: "2001:db8::/64", dev: "eth0", metric: 256 },
    { dst: "default", gateway: "2001:db8::fffe", dev: "eth0", metric: 1024 },
  ]);
  const h = hostFromJson(addrText, routeText);

  test("MASQUERADE picks the address whose subnet holds the next hop, never a secondary", () => {
    expect(text(masqueradeAddress(h, "eth0", addr("10.5.0.254")))).toBe("10.5.0.1");
    expect(text(masqueradeAddress(h, "eth0", addr("10.0.0.77")))).toBe("10.0.0.1");
    expect(text(masqueradeAddress(h, "eth0", addr("192.0.2.1")))).toBe("10.0.0.1");
    expect(text(masqueradeAddress(h, "eth0", addr("2001:db8::5")))).toBe("2001:db8::1");
    expect(text(masqueradeAddress(h, "eth0", addr("fe80::99")))).toBe("fe80::1");
  });

  test("IPv6: local, forwarded, receive-time drops, no route answers ICMPv6 no-route", () => {
    expect(routeInput(h, packet("2001:db8::2", "2001:db8::1"), "eth0")).toMatchObject({ kind: "local" });
    expect(routeInput(h, packet("2001:db8::2", "2001:db8::"), "eth0")).toMatchObject({ kind: "local" }); // subnet-router anycast
    expect(routeInput(h, packet("2001:db8::2", "2001:db8:1::1"), "eth0")).toMatchObject({ kind: "forward", device: "eth0" });
    expect(routeInput(h, packet("2001:db8::2", "ff02::1"), "eth0")).toMatchObject({ kind: "local", type: "multicast" });
    expect(routeInput(h, packet("2001:db8::2", "ff02::1:ff00:1"), "eth0")).toMatchObject({ kind: "local", type: "multicast" });
    expect(routeInput(h, packet("2001:db8::2", "ff02::1234"), "eth0")).toMatchObject({ kind: "drop", reason: "multicast-not-joined" });
    expect(receiveCheck(h, packet("2001:db8::2", "::1"), "eth0")).toMatchObject({ reason: "martian-source" });
    expect(receiveCheck(h, packet("::ffff:10.0.0.2", "2001:db8::1"), "eth0")).toMatchObject({ reason: "martian-source" });
    expect(receiveCheck(h, packet("2001:db8::2", "2001:db8::1"), "eth0")).toBeUndefined();
    expect(receiveCheck(h, packet("10.0.0.2", "127.0.0.1"), "eth0")).toBeUndefined();
    const noDefault = hostFromJson(addrText, JSON.stringify([{ dst: "2001:db8::/64", dev: "eth0", metric: 256 }]), ["net.ipv6.conf.all.forwarding=0"]);
    expect(routeInput(noDefault, packet("2001:db8::2", "2001:db8:1::1"), "eth0")).toMatchObject({ kind: "drop", reason: "no-route", icmp: { type: 1, code: 0 } });
  });

  test("IPv6 addrtype: the lookup part", () => {
    expect(addressType(h, addr("2001:db8::1"))).toBe("LOCAL");
    expect(addressType(h, addr("2001:db8::1"), "lo")).toBe("UNICAST");
    expect(addressType(h, addr("2001:db8::1"), "eth0")).toBe("LOCAL");
    expect(addressType(h, addr("ff02::1"))).toBe("MULTICAST");
    expect(addressType(h, addr("2001:db8::"))).toBe("ANYCAST");
  });
});
