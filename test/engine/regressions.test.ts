/**
 * Cases where nfwalk once disagreed with the kernel, found by the random
 * conformance suite; each expectation is the kernel's answer.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const host = Object.fromEntries(["ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));

async function trace(rules: string, ...args: string[]) {
  const r = await runCli(["trace", "--rules", "r.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--json", ...args], { ...host, "r.v4": rules });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

const counted = (t: { steps: { type: string; table?: string; chain?: string; rule?: number; policy?: string }[] }) =>
  t.steps.filter((s) => s.type === "rule" || s.type === "policy").map((s) => (s.type === "rule" ? `${s.table} ${s.chain} #${s.rule}` : `${s.table} ${s.chain} ${s.policy}`));

describe("kernel regressions", () => {
  test("falling off a chain reached by -g applies the built-in chain's policy", async () => {
    const rules = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:A - [0:0]\n-A PREROUTING -g A\nCOMMIT\n";
    // Found on a host where something else keeps conntrack on (no rule here needs it).
    const t = await trace(rules, "--assume", "conntrack=on", "--in", "eth0", "tcp 10.99.0.2:22 -> 10.99.0.1:22");
    expect(t.outcome).toBe("delivered");
    expect(counted(t)).toEqual(["nat PREROUTING #1", "nat PREROUTING ACCEPT", "nat INPUT ACCEPT"]);
  });

  test("a 127.0.0.1 source DNATed away from the host cannot leave through a real interface", async () => {
    const rules = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -j DNAT --to-destination 172.17.0.2\nCOMMIT\n";
    const t = await trace(rules, "--local", "tcp 127.0.0.1:22 -> 10.99.0.1:22");
    expect(t.outcome).toBe("dropped");
    expect(counted(t)).toEqual(["nat OUTPUT #1"]);
  });
});

describe("locally sent packets", () => {
  test("a broadcast to 127.255.255.255 goes through lo and is delivered, meeting POSTROUTING, PREROUTING and INPUT", async () => {
    const rules = "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n";
    const t = await trace(rules, "--local", "udp 127.0.0.1:40000 -> 127.255.255.255:9999");
    expect(t.outcome).toBe("delivered");
    expect(counted(t)).toEqual(["mangle OUTPUT ACCEPT", "mangle POSTROUTING ACCEPT", "mangle PREROUTING ACCEPT", "mangle INPUT ACCEPT"]);
  });

  test("a raw packet from 127.0.0.1 to a far address is routed by its destination and sent", async () => {
    const t = await trace("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", "--local", "tcp 127.0.0.1:22 -> 203.0.113.7:22");
    expect(t.outcome).toBe("sent");
    expect(t.egress.interface).toBe("eth0");
    expect(counted(t)).toEqual(["filter OUTPUT ACCEPT"]);
  });
});

describe("ICMP in conntrack", () => {
  test("--ctorigdstport reads an ICMP tuple's type and code (echo request: 8 << 8 = 2048)", async () => {
    const mangle = (port: number) => `*mangle\n:PREROUTING ACCEPT [0:0]\n:A - [0:0]\n-A PREROUTING -m conntrack --ctorigdstport ${port} -j A\nCOMMIT\n`;
    expect(counted(await trace(mangle(8080), "--in", "eth0", "icmp 10.99.0.2 -> 10.99.0.1 [type 8]"))).toEqual(["mangle PREROUTING ACCEPT"]);
    expect(counted(await trace(mangle(2048), "--in", "eth0", "icmp 10.99.0.2 -> 10.99.0.1 [type 8]"))).toEqual(["mangle PREROUTING #1", "mangle PREROUTING ACCEPT"]);
  });
});

describe("re-routing a locally sent packet", () => {
  test("a MARK in nat OUTPUT does not re-route (only mangle OUTPUT's changes and nat's DNAT do)", async () => {
    const rules = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -o br-+ -p icmp -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n";
    const t = await trace(rules, "--assume", "conntrack=on", "--local", "icmp 127.0.0.1 -> 172.18.0.2 [type 8]");
    expect(t.outcome).toBe("sent");
    expect(t.egress.interface).toBe("br-net1");
    expect(counted(t)).toEqual(["nat OUTPUT #1", "nat OUTPUT ACCEPT", "nat POSTROUTING ACCEPT"]);
  });

  test("a MARK in mangle OUTPUT re-routes, and then a loopback source may not leave", async () => {
    const rules =
      "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -o br-+ -p icmp -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n";
    const t = await trace(rules, "--local", "icmp 127.0.0.1 -> 172.18.0.2 [type 8]");
    expect(t.outcome).toBe("dropped");
  });
});
