import { describe, expect, test } from "vitest";
import { DEFAULT_SYSCTLS, parseSysctls } from "../../src/host/index.js";

function sysctls(...assignments: string[]) {
  const parsed = parseSysctls(assignments);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return parsed.value;
}

describe("--sysctl", () => {
  test("defaults: forwarding on (the contract), rp_filter, route_localnet and bridge-nf-call off", () => {
    for (const s of [DEFAULT_SYSCTLS, sysctls()]) {
      expect(s.forwarding).toEqual({ ipv4: true, ipv6: true });
      expect(s.bridgeNfCall).toEqual({ ipv4: false, ipv6: false });
      expect([s.rpFilter("eth0"), s.routeLocalnet("eth0")]).toEqual([0, false]);
    }
  });

  test("forwarding, in both spellings and with slashes", () => {
    expect(sysctls("net.ipv4.ip_forward=0").forwarding).toEqual({ ipv4: false, ipv6: true });
    expect(sysctls("net/ipv4/conf/all/forwarding=0").forwarding.ipv4).toBe(false);
    expect(sysctls("net.ipv6.conf.all.forwarding=0").forwarding).toEqual({ ipv4: true, ipv6: false });
    expect(sysctls("net.ipv4.ip_forward=0", "net.ipv4.ip_forward=1").forwarding.ipv4).toBe(true);
  });

  test("rp_filter: the larger of all and the interface", () => {
    const s = sysctls("net.ipv4.conf.all.rp_filter=1", "net.ipv4.conf.eth0.rp_filter=2");
    expect([s.rpFilter("eth0"), s.rpFilter("docker0")]).toEqual([2, 1]);
    const t = sysctls("net.ipv4.conf.all.rp_filter=2", "net.ipv4.conf.eth0.rp_filter=1");
    expect(t.rpFilter("eth0")).toBe(2);
  });

  test("route_localnet: all or the interface; a dotted interface name is written with / in the dotted form", () => {
    const s = sysctls("net.ipv4.conf.eth0/10.route_localnet=1");
    expect([s.routeLocalnet("eth0.10"), s.routeLocalnet("eth0")]).toEqual([true, false]);
    expect(sysctls("net/ipv4/conf/eth0.10/route_localnet=1").routeLocalnet("eth0.10")).toBe(true);
    expect(sysctls("net.ipv4.conf.all.route_localnet=1").routeLocalnet("anything")).toBe(true);
  });

  test("bridge-nf-call", () => {
    expect(sysctls("net.bridge.bridge-nf-call-iptables=1", "net.bridge.bridge-nf-call-ip6tables=1").bridgeNfCall).toEqual({ ipv4: true, ipv6: true });
  });

  test("unknown names and bad values are errors naming the flag", () => {
    const parsed = parseSysctls(["net.ipv4.tcp_syncookies=1", "net.ipv4.ip_forward=yes", "net.ipv4.conf.default.rp_filter=1", "net.ipv4.conf.eth0.rp_filter=3"]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["unknown-sysctl", '--sysctl net.ipv4.tcp_syncookies=1: nfwalk does not know "net.ipv4.tcp_syncookies"'],
      ["bad-sysctl-value", "--sysctl net.ipv4.ip_forward=yes: the value must be 0 or 1"],
      ["unknown-sysctl", '--sysctl net.ipv4.conf.default.rp_filter=1: nfwalk does not know "net.ipv4.conf.default.rp_filter"'],
      ["bad-sysctl-value", "--sysctl net.ipv4.conf.eth0.rp_filter=3: the value must be 0, 1 or 2"],
    ]);
  });
});
