import { describe, expect, test } from "vitest";
import { defaultHost, routeInput, routeOutput, type Host } from "../../src/host/index.js";
import { formatAddress } from "../../src/host/prefix.js";
import { parseRuleset } from "../../src/index.js";
import { packet } from "./helpers.js";

function hostFor(dump: string): Host {
  const loaded = parseRuleset(dump, { file: "rules.v4" });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  return defaultHost(loaded.ruleset);
}

const summary = (h: Host) => h.interfaces.map((i) => `${i.name} ${i.addresses.map((a) => `${formatAddress(a.address)}/${a.prefixLength}`).join(" ")}`.trim());

describe("the default host", () => {
  test("without Docker: lo and eth0, routed by default through eth0", () => {
    const h = hostFor("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n");
    expect(summary(h)).toEqual(["lo 127.0.0.1/8 ::1/128", "eth0 10.0.0.1/24 2001:db8::1/64"]);
    expect(h.origin).toMatchObject({ kind: "default" });
    expect(routeInput(h, packet("198.51.100.7", "10.0.0.1"), "eth0")).toMatchObject({ kind: "local" });
    expect(routeOutput(h, packet("10.0.0.1", "8.8.8.8"))).toMatchObject({ kind: "forward", device: "eth0" });
    expect(routeOutput(h, packet("2001:db8::1", "2001:db8:5::5"))).toMatchObject({ kind: "forward", device: "eth0" });
  });

  test("Docker bridges from the MASQUERADE rule, a container address, or Docker's defaults", () => {
    const dump = [
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":INPUT ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      ":DOCKER - [0:0]",
      "-A POSTROUTING -s 10.0.0.0/8 ! -o br-b74b417b331f -j MASQUERADE",
      "-A DOCKER -i docker0 -j RETURN",
      "-A DOCKER ! -i br-dummy -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.0.2:80",
      "COMMIT",
      "*filter",
      ":INPUT ACCEPT [0:0]",
      ":FORWARD ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      "-A FORWARD -d 192.168.0.2/32 ! -i br-dummy -o br-dummy -p tcp -m tcp --dport 80 -j ACCEPT",
      "-A FORWARD -i wlan0 -o br-dummy -j ACCEPT",
      "-A FORWARD -i tun+ -j ACCEPT",
      "COMMIT",
      "",
    ].join("\n");
    const h = hostFor(dump);
    expect(summary(h)).toEqual([
      "lo 127.0.0.1/8 ::1/128",
      "eth0 192.0.2.1/24 2001:db8::1/64", // 10.0.0.0/24 is taken by the Docker network
      "br-dummy 192.168.0.1/24",
      "br-b74b417b331f 10.0.0.1/8",
      "docker0 172.17.0.1/16",
      "wlan0",
    ]);
    expect(h.origin.kind === "default" && h.origin.assumptions).toEqual([
      "lo has 127.0.0.1/8 and ::1/128",
      "eth0 has 192.0.2.1/24 and 2001:db8::1/64; the default routes go via 192.0.2.254 and 2001:db8::fffe",
      "br-dummy is a Docker bridge with 192.168.0.1/24 (around container address 192.168.0.2 on line 15)",
      "br-b74b417b331f is a Docker bridge with 10.0.0.1/8 (from the MASQUERADE rule on line 7)",
      "docker0 is a Docker bridge with 172.17.0.1/16 (Docker's default, not named in the rules)",
      "wlan0 exists, up, without addresses",
    ]);
    expect(routeInput(h, packet("192.0.2.99", "192.168.0.2"), "eth0")).toMatchObject({ kind: "forward", device: "br-dummy" });
    expect(routeInput(h, packet("172.17.0.2", "8.8.8.8"), "docker0")).toMatchObject({ kind: "forward", device: "eth0" });
  });

  test("each bridge's subnet from the first rule that gives one, in table, chain and rule order", () => {
    const dump = [
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":INPUT ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      ":A - [0:0]",
      ":B - [0:0]",
      "-A POSTROUTING -s 172.30.0.0/31 ! -o br-a -j MASQUERADE", // too small for a Docker network: not br-a's
      "-A POSTROUTING -s 172.31.0.0/16 ! -o br-a -j ACCEPT", // not a MASQUERADE
      "-A A -s 172.29.0.0/16 ! -o br-a -j MASQUERADE",
      "-A B -s 172.28.0.0/16 ! -o br-a -j MASQUERADE",
      "COMMIT",
      "*filter",
      ":INPUT ACCEPT [0:0]",
      ":FORWARD ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      "-A FORWARD -d 172.21.0.0/24 -o br-c -j ACCEPT", // a network, not a container address
      "-A FORWARD -d 172.22.0.5/32 ! -i br-b -o br-c -j ACCEPT", // the container address of both bridges
      "-A FORWARD -d 172.23.0.5/32 -o br-c -j ACCEPT",
      "-A FORWARD -d 172.24.0.5/32 -o br-a -j ACCEPT", // br-a has its MASQUERADE rule
      "COMMIT",
      "",
    ].join("\n");
    const h = hostFor(dump);
    // The filter table comes first (iptables-save's order), so br-a is named last.
    expect(summary(h)).toEqual(["lo 127.0.0.1/8 ::1/128", "eth0 10.0.0.1/24 2001:db8::1/64", "br-c 172.22.0.1/24", "br-b 172.22.0.1/24", "br-a 172.29.0.1/16"]);
    expect(h.origin.kind === "default" && h.origin.assumptions.slice(2)).toEqual([
      "br-c is a Docker bridge with 172.22.0.1/24 (around container address 172.22.0.5 on line 18)",
      "br-b is a Docker bridge with 172.22.0.1/24 (around container address 172.22.0.5 on line 18)",
      "br-a is a Docker bridge with 172.29.0.1/16 (from the MASQUERADE rule on line 10)",
    ]);
  });

  test("an ip6tables dump: IPv6 Docker networks", () => {
    const dump = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s fd49:efd7:54aa::/64 ! -o br-dummy -j MASQUERADE\nCOMMIT\n";
    const loaded = parseRuleset(dump, { file: "rules.v6", family: "ipv6" });
    if (!loaded.ok) throw new Error(loaded.diagnostics[0]!.message);
    const h = defaultHost(loaded.ruleset);
    expect(summary(h).at(-1)).toBe("br-dummy fd49:efd7:54aa::1/64");
    expect(routeInput(h, packet("2001:db8::99", "fd49:efd7:54aa::2"), "eth0")).toMatchObject({ kind: "forward", device: "br-dummy" });
  });
});
