/**
 * Later packets of a connection: conntrack knows them (ESTABLISHED), nat
 * chains are not consulted again, and the connection's NAT is applied — to
 * the original direction as set up, undone for replies.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));

async function trace(...args: string[]) {
  const r = await runCli(["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--json", ...args], files);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

const ruleSteps = (t: { steps: { type: string; table?: string; chain?: string; rule?: number }[] }) => t.steps.filter((s) => s.type === "rule").map((s) => `${s.table} ${s.chain} #${s.rule}`);

describe("a published port's connection", () => {
  test("a later packet is ESTABLISHED, skips the nat chains and is DNATed by the connection", async () => {
    const t = await trace("--in", "eth0", "--established", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080");
    expect(t.packet).toMatchObject({ sport: 40000, dport: 8080 });
    expect(t.outcome).toBe("forwarded");
    expect(t.egress).toEqual({ interface: "docker0", packet: { proto: "tcp", src: "10.99.0.2", dst: "172.17.0.2", sport: 40000, dport: 80 } });
    expect(t.steps.find((s: { type: string }) => s.type === "conntrack").state).toBe("ESTABLISHED");
    expect(ruleSteps(t).filter((s: string) => s.startsWith("nat "))).toEqual([]);
    expect(ruleSteps(t)).toContain("filter DOCKER-CT #1");
  });

  test("the container's reply leaves the uplink with the published address and port", async () => {
    const t = await trace("--in", "eth0", "--reply", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080");
    expect(t.ingress).toEqual({ interface: "docker0" });
    expect(t.packet).toEqual({ proto: "tcp", src: "172.17.0.2", dst: "10.99.0.2", sport: 80, dport: 40000 });
    expect(t.outcome).toBe("forwarded");
    expect(t.egress).toEqual({ interface: "eth0", packet: { proto: "tcp", src: "10.99.0.1", dst: "10.99.0.2", sport: 8080, dport: 40000 } });
  });

  test("the reply to a masqueraded connection is sent back to the container's own address", async () => {
    const t = await trace("--in", "docker0", "--reply", "tcp 172.17.0.2:40000 -> 10.99.1.10:443");
    expect(t.ingress).toEqual({ interface: "eth0" });
    expect(t.packet).toEqual({ proto: "tcp", src: "10.99.1.10", dst: "10.99.0.1", sport: 443, dport: 40000 });
    expect(t.egress).toEqual({ interface: "docker0", packet: { proto: "tcp", src: "10.99.1.10", dst: "172.17.0.2", sport: 443, dport: 40000 } });
  });

  test("no connection, no later packet: the first packet's drop is the answer", async () => {
    const t = await trace("--in", "eth0", "--reply", "tcp 10.99.0.2:40000 -> 172.17.0.2:80");
    expect(t.outcome).toBe("dropped");
    expect(t.reason).toMatch(/^there is no connection: its first packet does not get through/);
  });
});
