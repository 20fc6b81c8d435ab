/** `nfwalk why`: origin inference, the default source port, --json, exit codes and usage errors. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files = Object.fromEntries(["rules.v4", "rules-docker-user-port.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const host = ["--addr", "ip-addr.json", "--route", "ip-route.json"];

describe("nfwalk why", () => {
  test("with just the packet: the source port defaults to 40000 and the origin is the reverse route", async () => {
    const r = await runCli(["why", "--rules", "rules.v4", ...host, "--json", "tcp 203.0.113.7 -> 10.99.0.1:8080"], files);
    expect(r.code).toBe(0);
    const why = JSON.parse(r.stdout);
    expect(why.packet).toEqual({ proto: "tcp", src: "203.0.113.7", dst: "10.99.0.1", sport: 40000, dport: 8080 });
    expect(why.origin).toEqual({ in: "eth0" });
    expect(why.originInferred).toBe("the host routes 203.0.113.7 through eth0");
    expect(why.answer).toBe("reached: forwarded to the container at 172.17.0.2:80 on docker0 after DNAT");
    expect(why.translatedBy).toMatchObject({ table: "nat", chain: "DOCKER", line: 48, hook: "PREROUTING" });
  });

  test("a source that is the host's own address is sent by the host", async () => {
    const r = await runCli(["why", "--rules", "rules.v4", ...host, "--json", "tcp 10.99.0.1 -> 10.99.0.1:8080"], files);
    expect(JSON.parse(r.stdout).origin).toEqual({ local: true });
  });

  test("--json: the failing condition of the nearest ACCEPT rule, the trap and the fix", async () => {
    const r = await runCli(["why", "--rules", "rules-docker-user-port.v4", ...host, "--in", "eth0", "--json", "tcp 10.99.0.2 -> 10.99.0.1:8080"], files);
    expect(r.code).toBe(1);
    const why = JSON.parse(r.stdout);
    expect(why.decisive).toMatchObject({ kind: "rule", table: "filter", chain: "DOCKER-USER", rule: 2, line: 37, hook: "FORWARD", target: "DROP" });
    expect(why.whyNot[0].conditions).toEqual([
      { text: "-p tcp", result: "holds", packetHas: "it is tcp", of: "rule" },
      { text: "-m tcp --dport 8080", result: "fails", packetHas: "its destination port is 80 here", of: "rule" },
    ]);
    expect(why.traps.map((t: { name: string }) => t.name)).toEqual(["docker-user-sees-container-port"]);
    // The narrowest fix first (this client only), then the user's rule repaired (its port, for everyone).
    expect(why.fixes.map((f: { commands: string[] }) => f.commands)).toEqual([
      ["iptables -I DOCKER-USER 2 -s 10.99.0.2/32 -d 172.17.0.2/32 -i eth0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT"],
      ["iptables -R DOCKER-USER 1 -p tcp -m conntrack --ctorigdstport 8080 -j ACCEPT"],
    ]);
  });

  test("an outcome nfwalk cannot know: exit 3 and what each branch leads to", async () => {
    const rules = "*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m limit --limit 1/s -j ACCEPT\nCOMMIT\n";
    const r = await runCli(["why", "--rules", "r.v4", "--in", "eth0", "tcp 10.0.0.2 -> 10.0.0.1:22"], { "r.v4": rules });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("if        -A INPUT -p tcp -m limit --limit 1/sec -j ACCEPT (r.v4:5) matches");
    expect(r.stdout).toContain("then      delivered");
    expect(r.stdout).toContain("then      dropped");
  });

  test("bad input: exit 2, the flag or packet named, nothing on stdout", async () => {
    const bad = await runCli(["why", "--rules", "rules.v4", ...host, "tcp 10.99.0.2 -> nowhere:80"], files);
    expect([bad.code, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr).toMatch(/bad PACKET/);
    const iface = await runCli(["why", "--rules", "rules.v4", ...host, "--in", "eth9", "tcp 10.99.0.2 -> 10.99.0.1:80"], files);
    expect([iface.code, iface.stdout]).toEqual([2, ""]);
    expect(iface.stderr).toMatch(/--in eth9/);
  });
});

describe("nfwalk ports", () => {
  test("the example's published port and who reaches it", async () => {
    const r = await runCli(["ports", "--rules", "rules.v4", ...host, "--json"], files);
    expect(r.code).toBe(0);
    const { ports } = JSON.parse(r.stdout);
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatchObject({ protocol: "tcp", hostAddress: null, hostPort: { min: 8080, max: 8080 }, container: { address: "172.17.0.2", port: 80 }, bridge: "docker0" });
    expect(ports[0].reach.map((x: { client: string; verdict: string }) => [x.client, x.verdict])).toEqual([
      ["outside", "yes"],
      ["host", "yes"],
      ["containers", "proxy"],
    ]);
  });
});
