/** Each lint code on small dumps: where it must be found, and the near cases where it must not. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { defaultHost, dockerInventory, lint, loadHost, parseDockerInspect, parseRuleset, type LintCode, type LintReport, type Ruleset } from "../../src/index.js";

function load(body: string, table = "filter", policies = ":INPUT ACCEPT [0:0]"): Ruleset {
  const text = `*${table}\n${policies}\n${body.trim()}\nCOMMIT\n`;
  const result = parseRuleset(text, { file: "rules.v4" });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.ruleset;
}

/** The findings of one code as "line related-lines". */
function found(report: LintReport, code: LintCode): string[] {
  return report.findings.filter((f) => f.code === code).map((f) => [f.location.line, ...f.related.map((r) => r.location.line)].join(" "));
}

/** The chain declarations of a case: INPUT (and PREROUTING in mangle), then its user chains. */
const chainLines = (table: string | undefined, chains: string | undefined) => `${table === "mangle" ? ":PREROUTING ACCEPT [0:0]\n" : ""}:INPUT ACCEPT [0:0]${chains ? `\n${chains}` : ""}`;

const structure = (body: string, code: LintCode, table?: string, policies?: string) => found(lint(load(body, table, policies)), code);

describe("NF101 shadowed rules", () => {
  test.each([
    { name: "a broader DROP before", body: "-A INPUT -p tcp -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", want: ["4 3"] },
    {
      name: "two rules together",
      body: "-A INPUT -p tcp -m tcp --dport 1:100 -j DROP\n-A INPUT -p tcp -m tcp --dport 101:200 -j DROP\n-A INPUT -p tcp -m multiport --dports 50,150 -j ACCEPT",
      want: ["5 3 4"],
    },
    { name: "only the rules needed are named", body: "-A INPUT -d 10.0.0.0/8 -j DROP\n-A INPUT -s 192.0.2.0/24 -j DROP\n-A INPUT -s 192.0.2.1/32 -j ACCEPT", want: ["5 4"] },
    { name: "the same ipset without counters", body: "-A INPUT -m set --match-set foo src -j DROP\n-A INPUT -p tcp -m set --match-set foo src -j ACCEPT", want: ["4 3"] },
    { name: "an exact duplicate", body: "-A INPUT -s 10.0.0.1/32 -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -s 10.0.0.1/32 -m conntrack --ctstate NEW -j ACCEPT", want: ["4 3"] },
    { name: "the same state test and more", body: "-A INPUT -m conntrack --ctstate NEW -j DROP\n-A INPUT -p udp -m conntrack --ctstate NEW -j ACCEPT", want: ["4 3"] },
    { name: "the same interface", body: "-A INPUT -i eth0 -p tcp -j ACCEPT\n-A INPUT -i eth0 -p tcp -m tcp --dport 22 -j DROP", want: ["4 3"] },
    { name: "an interface pattern takes the names it matches", body: "-A INPUT -i br-+ -j DROP\n-A INPUT -i br-net1 -p tcp -j ACCEPT", want: ["4 3"] },
    { name: "another interface than the one an earlier rule leaves out", body: "-A INPUT ! -i eth0 -j DROP\n-A INPUT -i docker0 -j ACCEPT", want: ["4 3"] },
    { name: "fewer names left out than an earlier rule leaves out", body: "-A INPUT ! -i br-net1 -j DROP\n-A INPUT ! -i br-+ -j ACCEPT", want: ["4 3"] },
    { name: "RETURN takes", body: "-A INPUT -j f\n-A f -p udp -j RETURN\n-A f -p udp -m udp --dport 53 -j DROP", want: ["6 5"], chains: ":f - [0:0]" },
    { name: "a goto takes", body: "-A INPUT -p udp -g f\n-A INPUT -p udp -m udp --dport 53 -j DROP\n-A f -j LOG", want: ["5 4"], chains: ":f - [0:0]" },
    {
      name: "a jump to a chain that ends every packet",
      body: "-A INPUT -s 10.0.0.0/8 -j f\n-A INPUT -s 10.1.0.0/16 -j ACCEPT\n-A f -p tcp -j ACCEPT\n-A f -j DROP",
      want: ["5 4"],
      chains: ":f - [0:0]",
    },
    {
      name: "a MARK between changes nothing the earlier rule tests",
      body: "-A INPUT -i eth0 -j DROP\n-A INPUT -j MARK --set-xmark 0x1/0xffffffff\n-A INPUT -i eth0 -m mark --mark 0x1 -j ACCEPT",
      want: ["6 4"],
      table: "mangle",
    },
    { name: "-p tcp takes later fragments too", body: "-A INPUT -p tcp -j DROP\n-A INPUT -p tcp -f -j ACCEPT", want: ["4 3"] },
  ])("found: $name", ({ body, want, chains, table }) => {
    expect(structure(body, "NF101", table, chainLines(table, chains))).toEqual(want);
  });

  test.each([
    { name: "LOG does not take", body: "-A INPUT -p tcp -j LOG\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT" },
    { name: "a jump to a chain that may return", body: "-A INPUT -j f\n-A INPUT -p tcp -j ACCEPT\n-A f -p udp -j DROP", chains: ":f - [0:0]" },
    { name: "a jump to a chain that may RETURN before its catch-all", body: "-A INPUT -j f\n-A INPUT -p tcp -j ACCEPT\n-A f -p udp -j RETURN\n-A f -j DROP", chains: ":f - [0:0]" },
    { name: "a rate limit on the earlier rule", body: "-A INPUT -p tcp -m limit --limit 5/sec -j DROP\n-A INPUT -p tcp -m limit --limit 5/sec -j ACCEPT" },
    { name: "a random choice on the earlier rule", body: "-A INPUT -m statistic --mode random --probability 0.5 -j DROP\n-A INPUT -m statistic --mode random --probability 0.5 -j ACCEPT" },
    { name: "another interface", body: "-A INPUT -i eth0 -j DROP\n-A INPUT -i eth1 -j ACCEPT" },
    { name: "a broader interface pattern", body: "-A INPUT -i eth+ -j DROP\n-A INPUT -i et+ -j ACCEPT" },
    { name: "a pattern after one of its names", body: "-A INPUT -i eth0 -j DROP\n-A INPUT -i eth+ -j ACCEPT" },
    { name: "a pattern holding the name an earlier rule leaves out", body: "-A INPUT ! -i eth0 -j DROP\n-A INPUT -i eth+ -j ACCEPT" },
    { name: "more names left out than an earlier rule leaves out", body: "-A INPUT ! -i br-+ -j DROP\n-A INPUT ! -i br-net1 -j ACCEPT" },
    { name: "all names but one after one name", body: "-A INPUT -i eth0 -j DROP\n-A INPUT ! -i eth1 -j ACCEPT" },
    { name: "a part left over", body: "-A INPUT -s 10.0.0.0/9 -j DROP\n-A INPUT -s 10.0.0.0/8 -j ACCEPT" },
    { name: "another state", body: "-A INPUT -m conntrack --ctstate NEW -j DROP\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT" },
    { name: "port matches never take later fragments", body: "-A INPUT -p tcp -m multiport --dports 0:65535 -j DROP\n-A INPUT -p tcp -j ACCEPT" },
    { name: "ipset counters the earlier test moved", body: "-A INPUT -m set --match-set foo src --packets-gt 5 -j DROP\n-A INPUT -m set --match-set foo src --packets-gt 5 -j ACCEPT" },
    { name: "censored MAC addresses may differ", body: "-A INPUT -m mac --mac-source XX:XX:XX:XX:XX:XX -j DROP\n-A INPUT -m mac --mac-source XX:XX:XX:XX:XX:XX -j ACCEPT" },
    { name: "a MARK between changes what both test", body: "-A INPUT -m mark --mark 0x1 -j DROP\n-A INPUT -j MARK --set-xmark 0x1/0xffffffff\n-A INPUT -m mark --mark 0x1 -j ACCEPT", table: "mangle" },
    {
      name: "a jump between to a chain that marks",
      body: "-A INPUT -m mark --mark 0x1 -j DROP\n-A INPUT -j m\n-A INPUT -m mark --mark 0x1 -j ACCEPT\n-A m -j MARK --set-xmark 0x1/0xffffffff",
      table: "mangle",
      chains: ":m - [0:0]",
    },
    { name: "an unmodelled match on the earlier rule", body: "-A INPUT -m time --timestart 09:00 --timestop 17:00 -j DROP\n-A INPUT -m time --timestart 09:00 --timestop 17:00 -j ACCEPT" },
  ])("not found: $name", ({ body, chains, table }) => {
    expect(structure(body, "NF101", table, chainLines(table, chains))).toEqual([]);
  });

  test("IPv6 addresses are compared as written only", () => {
    const text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::/32 -j DROP\n-A INPUT -s 2001:db8::1/128 -j ACCEPT\n-A INPUT -s 2001:db8::/32 -p tcp -j ACCEPT\nCOMMIT\n";
    const result = parseRuleset(text, { file: "rules.v6", family: "ipv6" });
    if (!result.ok) throw new Error("no load");
    // 2001:db8::1 lies in 2001:db8::/32, but lint does not order IPv6 prefixes: only the same prefix is compared.
    expect(found(lint(result.ruleset), "NF101")).toEqual(["5 3"]);
  });
});

describe("NF102 rules after a catch-all", () => {
  test("every rule after an unconditional DROP", () => {
    expect(structure("-A INPUT -i lo -j ACCEPT\n-A INPUT -j DROP\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -j LOG", "NF102")).toEqual(["5 4", "6 4"]);
  });
  test("a catch-all through a jump to a chain that ends every packet", () => {
    expect(structure("-A INPUT -j f\n-A INPUT -p tcp -j ACCEPT\n-A f -m conntrack --ctstate NEW -j ACCEPT\n-A f -j DROP", "NF102", "filter", ":INPUT ACCEPT [0:0]\n:f - [0:0]")).toEqual(["5 4"]);
  });
  test.each([
    { name: "LOG", body: "-A INPUT -j LOG\n-A INPUT -p tcp -j ACCEPT" },
    { name: "a comment only", body: '-A INPUT -m comment --comment "all" -j NFLOG\n-A INPUT -p tcp -j ACCEPT' },
    { name: "a rate limit", body: "-A INPUT -m limit --limit 1/sec -j DROP\n-A INPUT -p tcp -j ACCEPT" },
  ])("not after $name", ({ body }) => {
    expect(structure(body, "NF102")).toEqual([]);
  });
});

describe("NF103 redundant rules", () => {
  test.each([
    {
      name: "a state rule while another keeps tracking on",
      body: "-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT",
      policies: ":INPUT ACCEPT [0:0]",
      want: ["4"],
    },
    { name: "a last DROP under policy DROP", body: "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP", policies: ":INPUT DROP [0:0]", want: ["4"] },
    { name: "a RETURN no later rule overlaps", body: "-A INPUT -j f\n-A f -s 10.0.0.0/8 -j RETURN\n-A f -s 192.0.2.0/24 -j DROP", policies: ":INPUT ACCEPT [0:0]\n:f - [0:0]", want: ["5"] },
  ])("found: $name", ({ body, policies, want }) => {
    expect(structure(body, "NF103", "filter", policies)).toEqual(want);
  });
  test.each([
    { name: "a DROP under policy ACCEPT", body: "-A INPUT -j DROP", policies: ":INPUT ACCEPT [0:0]" },
    { name: "a LOG after it could see its packets", body: "-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -j LOG", policies: ":INPUT DROP [0:0]" },
    { name: "the only rule that turns connection tracking on", body: "-A INPUT -m conntrack --ctstate NEW -j ACCEPT", policies: ":INPUT ACCEPT [0:0]" },
    { name: "an ACCEPT in a user chain (its end returns)", body: "-A INPUT -j f\n-A f -j ACCEPT", policies: ":INPUT ACCEPT [0:0]\n:f - [0:0]" },
  ])("not found: $name", ({ body, policies }) => {
    expect(structure(body, "NF103", "filter", policies)).toEqual([]);
  });
});

describe("NF104 unused chains and NF105 jumps to empty chains", () => {
  const policies = ":INPUT ACCEPT [0:0]\n:DOCKER-USER - [0:0]\n:empty - [0:0]\n:orphan - [0:0]\n:used - [0:0]\n:unused-empty - [0:0]";
  const body = "-A INPUT -j used\n-A INPUT -j empty\n-A INPUT -g empty\n-A INPUT -j DOCKER-USER\n-A orphan -j DROP\n-A used -j DROP";
  test("a chain with rules that nothing calls; not an empty one, nor a called one", () => {
    expect(structure(body, "NF104", "filter", policies)).toEqual(["5"]);
  });
  test("jumps and gotos to an empty chain, not to DOCKER-USER or a chain with rules", () => {
    const report = lint(load(body, "filter", policies));
    expect(found(report, "NF105")).toEqual(["9", "10"]);
    expect(report.findings.find((f) => f.code === "NF105")!.location.column).toBe(13);
  });
});

describe("Docker traps", () => {
  const dir = resolve(import.meta.dirname, "../../examples/docker-host");
  const file = (name: string) => readFileSync(join(dir, name), "utf8");
  const host = loadHost({ addr: file("ip-addr.json"), route: file("ip-route.json") });
  if (!host.ok) throw new Error("host");
  const rules = (name: string, text = file(name)) => {
    const r = parseRuleset(text, { file: name });
    if (!r.ok) throw new Error(name);
    return r.ruleset;
  };
  const inspected = parseDockerInspect(file("docker-inspect.json"), "docker-inspect.json");
  if (!inspected.ok) throw new Error("inspect");
  const docker = dockerInventory(inspected.value, []);

  test("NF201: a published port INPUT would drop, and the rule that drops it", () => {
    const report = lint(rules("rules-ufw.v4"), { host: host.value });
    const f = report.findings.filter((x) => x.code === "NF201");
    expect(f.map((x) => x.location.line)).toEqual([52]);
    expect(f[0]!.message).toContain("policy DROP of filter INPUT");
  });
  test("NF201: not where INPUT would accept the port, nor without a host", () => {
    const opened = file("rules-ufw.v4").replace("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT");
    expect(opened).not.toBe(file("rules-ufw.v4"));
    expect(found(lint(rules("rules-ufw.v4", opened), { host: host.value }), "NF201")).toEqual([]);
    expect(found(lint(rules("rules.v4"), { host: host.value }), "NF201")).toEqual([]);
    expect(found(lint(rules("rules-ufw.v4")), "NF201")).toEqual([]);
  });
  test("NF202: a DROP in DOCKER-USER without a state match", () => {
    expect(found(lint(rules("rules-docker-user.v4"), { host: host.value }), "NF202")).toEqual(["35"]);
  });
  test("NF202: not after a state rule in DOCKER-USER", () => {
    const text = file("rules-docker-user.v4").replace("-A DOCKER-USER -s 10.99.0.0/24", "-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n-A DOCKER-USER -s 10.99.0.0/24");
    expect(found(lint(rules("x.v4", text), { host: host.value }), "NF202")).toEqual([]);
  });
  test("NF203: ports published with no Docker rules; not when Docker wrote them", () => {
    const bare = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
    const report = lint(rules("bare.v4", bare), { host: host.value, docker });
    const f = report.findings.filter((x) => x.code === "NF203");
    expect(f.length).toBeGreaterThan(0);
    expect(f[0]!.location.line).toBe(1);
    expect(f[0]!.message).toMatch(/publishes tcp port 8080/);
    expect(found(lint(rules("rules.v4"), { host: host.value, docker }), "NF203")).toEqual([]);
    expect(found(lint(rules("bare.v4", bare), { host: defaultHost(rules("bare.v4", bare)) }), "NF203")).toEqual([]);
  });
});

describe("silencing", () => {
  const body = '-A INPUT -p tcp -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "ssh; nfwalk-ignore: NF101" -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT';
  test("a rule's nfwalk-ignore comment silences its own finding only", () => {
    const report = lint(load(body));
    expect(found(report, "NF101")).toEqual(["5 3"]);
    expect(report.silenced).toBe(1);
  });
  test("ignore leaves a code out everywhere", () => {
    const report = lint(load(body), { ignore: ["NF101"] });
    expect(report.findings).toEqual([]);
    expect(report.silenced).toBe(2);
  });
  test("a comment naming another code silences nothing", () => {
    const report = lint(load(body.replace("nfwalk-ignore: NF101", "nfwalk-ignore: NF103")));
    expect(found(report, "NF101")).toEqual(["4 3", "5 3"]);
  });
});

describe("chains Docker and kube-proxy manage", () => {
  test("their empty chains, unused chains and RETURNs are left out of NF103–NF105", () => {
    const policies = ":INPUT ACCEPT [0:0]\n:DOCKER-INTERNAL - [0:0]\n:KUBE-MARK-DROP - [0:0]\n:KUBE-SEP-X - [0:0]";
    const body = "-A INPUT -j DOCKER-INTERNAL\n-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000\n-A KUBE-SEP-X -s 10.0.0.0/8 -j RETURN";
    const report = lint(load(body, "filter", policies));
    expect(report.findings).toEqual([]);
  });
  test("the same layout under other names is reported", () => {
    const policies = ":INPUT ACCEPT [0:0]\n:internal - [0:0]\n:mark-drop - [0:0]\n:sep - [0:0]";
    const body = "-A INPUT -j internal\n-A INPUT -j sep\n-A mark-drop -j MARK --set-xmark 0x8000/0x8000\n-A sep -s 10.0.0.0/8 -j RETURN";
    expect(lint(load(body, "filter", policies)).findings.map((f) => f.code)).toEqual(["NF104", "NF105", "NF103"]);
  });
});
