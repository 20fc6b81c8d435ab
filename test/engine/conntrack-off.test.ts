/**
 * Hosts whose rules need no connection tracking: the kernel then runs none, so nat chains
 * see no packet and no defragmentation holds later fragments. Which extensions turn it on
 * and what follows are the kernel's answers (test/conformance/conntrack-off.test.ts checks
 * them in namespaces).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { conntrackUse } from "../../src/engine/conntrack-use.js";
import { parseRuleset } from "../../src/index.js";
import { DEFRAGMENT_ONLY, LEAVE_CONNTRACK_OFF, TURN_CONNTRACK_ON } from "../helpers/conntrack-users.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const host = Object.fromEntries(["ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));

function ruleset(text: string) {
  const r = parseRuleset(text, { file: "r.v4", family: "ipv4" });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.ruleset;
}

/** One rule in a user chain no packet reaches: its extension alone decides. */
const unreached = (table: string, rule: string) => `*${table}\n:X - [0:0]\n-A X ${rule}\nCOMMIT\n`;

async function trace(rules: string, ...args: string[]) {
  return runCli(["trace", "--rules", "r.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", ...args], { ...host, "r.v4": rules });
}

async function traceJson(rules: string, ...args: string[]) {
  const r = await trace(rules, "--json", ...args);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

const counted = (t: { steps: { type: string; table?: string; chain?: string; rule?: number; policy?: string }[] }) =>
  t.steps.filter((s) => s.type === "rule" || s.type === "policy").map((s) => (s.type === "rule" ? `${s.table} ${s.chain} #${s.rule}` : `${s.table} ${s.chain} ${s.policy}`));

describe("which rules turn connection tracking on (their checkentry calls nf_ct_netns_get)", () => {
  test.each(TURN_CONNTRACK_ON)("%s %s: on", (table, rule) => {
    const use = conntrackUse(ruleset(unreached(table, rule)));
    expect(use.active).toBe(true);
    expect(use.user?.rule.line).toBe(3);
    expect(use.reason).toMatch(/turns it on$/);
  });

  test.each(LEAVE_CONNTRACK_OFF)("%s %s: off", (table, rule) => {
    const use = conntrackUse(ruleset(unreached(table, rule)));
    expect(use).toMatchObject({ active: false, defragments: false, assumed: false });
  });

  test.each(DEFRAGMENT_ONLY)("%s %s: off, but defragmenting", (table, rule) => {
    expect(conntrackUse(ruleset(unreached(table, rule)))).toMatchObject({ active: false, defragments: true });
  });

  test("an assumption turns it on only where the rules leave it off", () => {
    const off = ruleset(unreached("filter", "-j ACCEPT"));
    expect(conntrackUse(off, { on: true, source: "said" })).toMatchObject({ active: true, assumed: true });
    const on = ruleset(unreached("nat", "-j MASQUERADE"));
    expect(conntrackUse(on, { on: false, source: "said" })).toMatchObject({ active: true, assumed: false });
  });
});

const NAT_ONLY_JUMPS =
  "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\nCOMMIT\n";

describe("a host without connection tracking", () => {
  test("nat chains see no packet, and the trace says why", async () => {
    const t = await traceJson(NAT_ONLY_JUMPS, "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(t.outcome).toBe("delivered");
    expect(counted(t)).toEqual([]);
    const step = t.steps.find((s: { type: string }) => s.type === "conntrack");
    expect(step).toMatchObject({ type: "conntrack", hook: "PREROUTING", state: "off" });
    expect(step.detail).toMatch(/no rule needs it/);
  });

  test("a MARK in a nat chain is never set: filter's mark match does not see it (and reach agrees)", async () => {
    const rules =
      "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -m tcp --dport 22 -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m mark --mark 0x1 -j DROP\nCOMMIT\n";
    expect((await traceJson(rules, "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22")).outcome).toBe("delivered");
    expect((await traceJson(rules, "--assume", "conntrack=on", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22")).outcome).toBe("dropped");
    const r = await runCli(["reach", "--rules", "r.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--json", "--in", "eth0", "tcp 10.99.0.2 -> 10.99.0.1:22"], { ...host, "r.v4": rules });
    expect(JSON.parse(r.stdout).classes.map((c: { outcome: string }) => c.outcome)).toEqual(["delivered"]);
  });

  test("--assume conntrack=on: something else keeps it on, and the nat chains run", async () => {
    const t = await traceJson(NAT_ONLY_JUMPS, "--assume", "conntrack=on", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(counted(t)).toEqual(["nat PREROUTING #1", "nat PREROUTING ACCEPT", "nat INPUT ACCEPT"]);
    expect(t.steps.find((s: { type: string }) => s.type === "conntrack").state).toBe("NEW");
  });

  test("--assume conntrack=off is refused when a rule turns conntrack on", async () => {
    const r = await trace(unreached("nat", "-j MASQUERADE"), "--assume", "conntrack=off", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`--assume "conntrack=off": r.v4:3 (nat X, MASQUERADE) turns connection tracking on`);
  });

  test("--assume conntrack=maybe is refused with what it takes", async () => {
    const r = await trace(NAT_ONLY_JUMPS, "--assume", "conntrack=maybe", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("conntrack=on|off");
  });

  test("a later fragment is not held back: it meets the rules as it is, and leaves without ports", async () => {
    const rules = "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -f\n-A FORWARD -p tcp -m tcp --dport 80\nCOMMIT\n";
    const t = await traceJson(rules, "--in", "eth0", "tcp 10.99.0.2:40000 -> 172.17.0.2:80 [frag 10]");
    expect(t.outcome).toBe("forwarded");
    expect(counted(t)).toEqual(["filter FORWARD #1", "filter FORWARD ACCEPT"]);
    expect(t.egress.packet).toEqual({ proto: "tcp", src: "10.99.0.2", dst: "172.17.0.2" });
  });

  test("a later fragment for the host waits in reassembly before INPUT", async () => {
    const rules = "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -f\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -f\nCOMMIT\n";
    const t = await traceJson(rules, "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:80 [frag 10]");
    expect(t.outcome).toBe("dropped");
    expect(counted(t)).toEqual(["raw PREROUTING #1", "raw PREROUTING ACCEPT"]);
    expect(t.reason).toMatch(/reassembly at local delivery/);
  });

  test("an IPv6 later fragment for the host meets INPUT first, then waits in reassembly (checked in namespaces with ip6tables)", async () => {
    const rules = "# Generated by ip6tables-save v1.8.9 (nf_tables)\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m frag --fragid 0:4294967295\n-A INPUT\nCOMMIT\n";
    const r = await runCli(["trace", "--rules", "r.v6", "--json", "--in", "eth0", "udp [2001:db8::2]:40000 -> [2001:db8::1]:53 [frag 10]"], { "r.v6": rules });
    const t = JSON.parse(r.stdout);
    expect(t.outcome).toBe("dropped");
    expect(counted(t)).toEqual(["filter INPUT #1", "filter INPUT #2", "filter INPUT ACCEPT"]);
    expect(t.reason).toMatch(/after INPUT/);
  });

  test("with a socket match loaded, defragmentation holds a later fragment although conntrack is off", async () => {
    const rules = "*mangle\n:PREROUTING ACCEPT [0:0]\n:X - [0:0]\n-A X -m socket\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -f\nCOMMIT\n";
    const t = await traceJson(rules, "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:80 [frag 10]");
    expect(t.outcome).toBe("dropped");
    expect(counted(t)).toEqual([]);
  });

  test("--established and --reply meet the later packet as a first one: nothing remembers the connection", async () => {
    const rules = "*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22\nCOMMIT\n";
    const later = await traceJson(rules, "--established", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(later.outcome).toBe("delivered");
    expect(later.steps.find((s: { type: string }) => s.type === "conntrack").state).toBe("off");
    const reply = await traceJson(rules, "--reply", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(reply.outcome).toBe("sent");
    expect(reply.egress.packet).toMatchObject({ src: "10.99.0.1", dst: "10.99.0.2", sport: 22, dport: 40000 });
  });

  test("the text trace says it at the hook where conntrack would run", async () => {
    const r = await trace(NAT_ONLY_JUMPS, "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22");
    expect(r.stdout).toMatch(/PREROUTING\s+conntrack\s+state\s+off: connection tracking is off: no rule needs it/);
  });

  test("why says it in one line; not when the rules turn conntrack on", async () => {
    const files = { ...host, "r.v4": NAT_ONLY_JUMPS, "on.v4": unreached("nat", "-j MASQUERADE") };
    const off = await runCli(["why", "--rules", "r.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22"], files);
    expect(off.stdout.split("\n").filter((l) => l.startsWith("conntrack "))).toEqual([expect.stringMatching(/^conntrack connection tracking is off: no rule needs it/)]);
    const json = await runCli(
      ["why", "--json", "--rules", "r.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--assume", "conntrack=on", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22"],
      files,
    );
    expect(JSON.parse(json.stdout).conntrack).toBe("connection tracking runs although no rule needs it: --assume conntrack=on");
    const on = await runCli(["why", "--rules", "on.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:22"], files);
    expect(on.stdout).not.toMatch(/^conntrack /m);
  });
});
