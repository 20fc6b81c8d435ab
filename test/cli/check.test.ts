/**
 * `nfwalk check EXPECTATIONS.yaml` run in memory: exit codes 0, 1, 2 and 3;
 * every trace command a failure prints, run as printed, gives the outcome the
 * report says; every problem of the YAML file is an error at its line and
 * column, with the line and a caret, exit 2 and nothing on standard output.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const root = resolve(import.meta.dirname, "../..");
const exampleFiles = [
  "examples/ci/expectations.yaml",
  ...["rules.v4", "rules-docker-user.v4", "rules-db-published.v4", "ip-addr.json", "ip-route.json"].map((f) => `examples/docker-host/${f}`),
  ...["expectations.yaml", "rules.v6", "rules-ssh-open.v6", "ip-addr.json", "ip-route.json"].map((f) => `examples/ci/ipv6/${f}`),
];
const files: Record<string, string> = Object.fromEntries(exampleFiles.map((f) => [f, readFileSync(join(root, f), "utf8")]));
const EXAMPLE = "examples/ci/expectations.yaml";

/** The words of a command line as the shell reads them (single quotes only, as check prints them). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!));
}

async function traceOutcome(command: string, extra: Record<string, string>) {
  const [nfwalk, ...args] = shellWords(command);
  expect(nfwalk).toBe("nfwalk");
  const r = await runCli([...args, "--json"], { ...files, ...extra });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { outcome: string; egress?: { interface: string } };
}

describe("nfwalk check on the CI example", () => {
  test.each([EXAMPLE, "examples/ci/ipv6/expectations.yaml"])("every expectation of %s holds: exit 0", async (example) => {
    const r = await runCli(["check", example], files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^7 expectations: 7 passed, 0 failed, 0 undetermined$/m);
  });

  test("the IPv6 file against an iptables dump: each PACKETSET and NAT address refused at its place, with a note naming the rules' family; exit 2", async () => {
    const r = await runCli(["check", "examples/ci/ipv6/expectations.yaml", "--rules", "examples/docker-host/rules.v4"], files);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    // Seven PACKETSETs and one address after NAT.
    expect(r.stderr.match(/\[check-family\]/g)).toHaveLength(8);
    expect(r.stderr).toContain(
      [
        'examples/ci/ipv6/expectations.yaml:13:14: error: bad PACKETSET "tcp 2000::/3 -> [fd00:2::2]:80,443": source "2000::/3" is an IPv6 address, and the rules are an iptables (IPv4) dump [check-family]',
        " 13 |     packets: tcp 2000::/3 -> [fd00:2::2]:80,443",
        "    |              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "  note: the rules (examples/docker-host/rules.v4) are an iptables-save (IPv4) dump: the file's packets and addresses are of their family",
      ].join("\n"),
    );
  });

  test.each([
    { change: "the database published by mistake", example: EXAMPLE, proposed: "examples/docker-host/rules-db-published.v4", lines: [14, 19, 39] },
    { change: "ssh opened to everyone on the IPv6 router", example: "examples/ci/ipv6/expectations.yaml", proposed: "examples/ci/ipv6/rules-ssh-open.v6", lines: [26, 41] },
  ])("$change: exit 1, and every printed trace command reproduces the report", async ({ example, proposed, lines }) => {
    const rules = readFileSync(join(root, proposed), "utf8");
    const r = await runCli(["check", example, "--rules", "pr.rules", "--json"], { ...files, "pr.rules": rules });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      expectations: {
        name: string;
        file: string;
        line: number;
        status: string;
        message: string;
        detail: string;
        expect: string;
        counterExample?: { packet: string; trace: string[] };
        broken: { outcome?: string; interface?: string; before?: { outcome: string }; after?: { outcome: string }; example: string }[];
      }[];
      summary: { status: string; failed: number };
    };
    expect(report.summary).toMatchObject({ status: "fail", failed: lines.length });
    const failed = report.expectations.filter((e) => e.status === "fail");
    expect(failed.map((e) => e.line)).toEqual(lines);
    for (const e of failed) {
      expect(e.file).toBe(example);
      expect(e.message).toContain(e.counterExample!.packet);
      for (const command of e.counterExample!.trace) expect(e.detail).toContain(command);
      const part = e.broken.find((b) => b.example === e.counterExample!.packet)!;
      if (e.expect === "no-change") {
        expect((await traceOutcome(e.counterExample!.trace[0]!, {})).outcome).toBe(part.before!.outcome);
        expect((await traceOutcome(e.counterExample!.trace[1]!, { "pr.rules": rules })).outcome).toBe(part.after!.outcome);
      } else {
        const t = await traceOutcome(e.counterExample!.trace[0]!, { "pr.rules": rules });
        expect(t.outcome).toBe(part.outcome);
        expect(t.egress?.interface).toBe(part.interface);
      }
    }
  });

  test("text: one line an expectation, the detail of failures, the totals and what was assumed", async () => {
    const r = await runCli(["check", EXAMPLE, "--rules", "examples/docker-host/rules-db-published.v4"], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "FAIL  the database is not reachable from outside  (examples/ci/expectations.yaml:19)\n      no packet of any any -> any arriving on eth0 must be: forwarded via br-net1\n",
    );
    expect(r.stdout).toContain("counter-example: tcp 203.0.113.7:40000 -> 10.99.0.1:5432 [flags SYN] arriving on eth0\n");
    expect(r.stdout).toMatch(/^7 expectations: 4 passed, 3 failed, 0 undetermined\nassumed: every packet is the first of its connection/m);
  });

  test("only undetermined: exit 3", async () => {
    const random = files["examples/docker-host/rules.v4"]!.replace("-A FORWARD -j DOCKER-USER", "-A FORWARD -m statistic --mode random --probability 0.5 -j DROP\n-A FORWARD -j DOCKER-USER");
    const yaml = "rules: rules.v4\nexpectations:\n  - name: a coin decides\n    in: eth0\n    packets: tcp 203.0.113.0/24 -> 10.99.0.1:8080\n    expect: forwarded\n";
    const r = await runCli(["check", "e.yaml"], { "e.yaml": yaml, "rules.v4": random });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("UNDETERMINED  a coin decides  (e.yaml:3)");
    expect(r.stdout).toContain("statistic");
    expect(r.stdout).toContain("assumed: no addresses and routes were given, so nfwalk assumed this host:");
  });

  test("--before and host flags override the file's", async () => {
    const yaml = "rules: r.v4\nexpectations:\n  - name: same\n    expect: no-change\n    before: missing.v4\n";
    const same = { "e.yaml": yaml, "r.v4": files["examples/docker-host/rules.v4"]! };
    expect((await runCli(["check", "e.yaml", "--before", "r.v4"], same)).code).toBe(0);
    const r = await runCli(["check", "e.yaml", "--before", "b.v4"], { ...same, "b.v4": files["examples/docker-host/rules-db-published.v4"]! });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("nfwalk trace --rules b.v4 --in");
  });
});

describe("the host of the file, and where packets come from", () => {
  const docker = { "ip-addr.json": files["examples/docker-host/ip-addr.json"]!, "ip-route.json": files["examples/docker-host/ip-route.json"]!, "r.v4": files["examples/docker-host/rules.v4"]! };
  const host = "rules: r.v4\nhost:\n  addr: ip-addr.json\n  route: ip-route.json\n";

  test("sysctl: forwarding off breaks a published port, and the trace command says so", async () => {
    const yaml = `${host}  sysctl:\n    net.ipv4.ip_forward: 0\nexpectations:\n  - name: web\n    in: eth0\n    packets: tcp 203.0.113.0/24 -> 10.99.0.1:8080\n    expect: forwarded via docker0\n`;
    const r = await runCli(["check", "e.yaml", "--json"], { ...docker, "e.yaml": yaml });
    expect(r.code).toBe(1);
    const command = JSON.parse(r.stdout).expectations[0].counterExample.trace[0] as string;
    expect(command).toContain("--sysctl net.ipv4.ip_forward=0");
    expect((await traceOutcome(command, docker)).outcome).toBe("dropped");
    expect((await runCli(["check", "e.yaml", "--sysctl", "net.ipv4.ip_forward=1"], { ...docker, "e.yaml": yaml })).code).toBe(0);
  });

  test("local: true, and a no-change limited to packets from one origin", async () => {
    const yaml = `${host}expectations:\n  - name: the host reaches the web container through its published port\n    local: true\n    packets: tcp 10.99.0.1 -> 10.99.0.1:8080\n    expect: sent via docker0 after NAT to 172.17.0.2:80\n  - name: nothing changes for the uplink's packets to the host\n    expect: no-change\n    before: b.v4\n    in: eth0\n    packets: tcp any -> 10.99.0.1\n`;
    const same = await runCli(["check", "e.yaml"], { ...docker, "e.yaml": yaml, "b.v4": docker["r.v4"] });
    expect(same.stderr).toBe("");
    expect(same.code).toBe(0);
    const published = await runCli(["check", "e.yaml", "--json"], { ...docker, "e.yaml": yaml, "b.v4": files["examples/docker-host/rules-db-published.v4"]! });
    expect(published.code).toBe(1);
    const result = JSON.parse(published.stdout).expectations[1] as { status: string; broken: { in?: string; boxes: { dst: string[] }[] }[] };
    expect(result.status).toBe("fail");
    expect(result.broken.every((d) => d.in === "eth0" && d.boxes.every((b) => b.dst.join() === "10.99.0.1"))).toBe(true);
  });

  test("a snapshot: the rules and the host from it, and trace told --host without --rules", async () => {
    const dir = join(root, "examples/kube-node");
    const yaml = "host:\n  snapshot: snapshot.json\nexpectations:\n  - name: ssh\n    in: eth0\n    packets: tcp any -> any:22\n    expect: delivered\n";
    const snapshot = { "k/e.yaml": yaml, "k/snapshot.json": readFileSync(join(dir, "snapshot.json"), "utf8") };
    const r = await runCli(["check", "k/e.yaml", "--json"], snapshot);
    expect(r.code).toBe(1);
    const e = JSON.parse(r.stdout).expectations[0] as { counterExample: { trace: string[] }; broken: { outcome: string; example: string }[] };
    const command = e.counterExample.trace[0]!;
    expect(command).toMatch(/^nfwalk trace --host k\/snapshot.json --in eth0 /);
    expect((await traceOutcome(command, snapshot)).outcome).toBe(e.broken[0]!.outcome);
  });
});

const RULES = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
/** An ip6tables-save dump: its header says so. */
const RULES6 = `# Generated by ip6tables-save v1.8.9 (nf_tables)\n${RULES}`;
/** An expectation file over r.v6 with one expectation's keys. */
const v6 = (keys: string) => `rules: r.v6\nexpectations:\n  - name: x\n${keys}`;
const GOOD = "  - name: ssh\n    in: eth0\n    packets: tcp any -> any:22\n    expect: delivered\n";

/** A file, where its error is (LINE:COLUMN), and what the message says. */
const BAD: [string, string, string, string][] = [
  ["YAML syntax", `rules: r.v4\nexpectations: [\n`, "3:1", "yaml-syntax"],
  ["a duplicate key", `rules: r.v4\nrules: r.v4\nexpectations:\n${GOOD}`, "2:1", "Map keys must be unique"],
  ["an unknown top-level key", `rules: r.v4\nrule: x\nexpectations:\n${GOOD}`, "2:1", 'unknown key "rule" in the file (known: rules, host, expectations)'],
  ["an unknown host key", `rules: r.v4\nhost:\n  adr: a.json\nexpectations:\n${GOOD}`, "3:3", 'unknown key "adr"'],
  ["addr without route", `rules: r.v4\nhost:\n  addr: a.json\nexpectations:\n${GOOD}`, "3:9", "addr and route go together"],
  [
    "an unknown sysctl",
    `rules: r.v4\nhost:\n  sysctl:\n    net.ipv4.ip_forwarding: 0\nexpectations:\n${GOOD}`,
    "4:5",
    'sysctl net.ipv4.ip_forwarding=0: nfwalk does not know "net.ipv4.ip_forwarding"',
  ],
  ["a bad sysctl value", `rules: r.v4\nhost:\n  sysctl:\n    net.ipv4.ip_forward: 2\nexpectations:\n${GOOD}`, "4:5", "the value must be 0 or 1"],
  ["no expectations", `rules: r.v4\n`, "1:1", 'the file needs "expectations:"'],
  ["a key without a value", `rules:\nexpectations:\n${GOOD}`, "1:1", '"rules" has no value'],
  ["a key that is not a word", `rules: r.v4\n[a]: b\nexpectations:\n${GOOD}`, "2:1", "keys are plain words"],
  ["a host that is not a mapping", `rules: r.v4\nhost: h.json\nexpectations:\n${GOOD}`, "2:7", '"host" must be a mapping'],
  ["a sysctl value that is not a number", `rules: r.v4\nhost:\n  sysctl:\n    net.ipv4.ip_forward: [1]\nexpectations:\n${GOOD}`, "4:26", "must be a number"],
  ["an expectation that is not a mapping", `rules: r.v4\nexpectations:\n  - ssh is open\n`, "3:5", "an expectation must be a mapping"],
  ["expectations not a list", `rules: r.v4\nexpectations: none\n`, "2:15", "expected a list of expectations"],
  ["an unknown expectation key", `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packet: tcp any -> any\n    expect: delivered\n`, "5:5", 'unknown key "packet" in an expectation'],
  ["no name", `rules: r.v4\nexpectations:\n  - in: eth0\n    packets: tcp any -> any\n    expect: delivered\n`, "3:5", 'needs a "name:"'],
  ["a name that is not text", `rules: r.v4\nexpectations:\n  - name: [a]\n    expect: delivered\n`, "3:11", "expected text"],
  ["a duplicate name", `rules: r.v4\nexpectations:\n${GOOD}${GOOD}`, "7:5", 'another expectation (line 3) has the name "ssh"'],
  ["no expect", `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> any\n`, "3:5", 'needs "expect:"'],
  ["an unknown outcome, at its word", `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> any\n    expect: not deliverd\n`, "6:17", 'unknown outcome "deliverd"'],
  [
    "via with delivered, at via",
    `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> any\n    expect: "delivered via eth0"\n`,
    "6:24",
    '"via IFACE" goes with forwarded and sent',
  ],
  [
    "a bad NAT address",
    `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> any\n    expect: forwarded after NAT to 10.0.0.300:80\n`,
    "6:36",
    '"10.0.0.300:80" is not an address with an optional port',
  ],
  ["a bad PACKETSET", `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> 10.0.0.0/33\n    expect: delivered\n`, "5:14", 'bad PACKETSET "tcp any -> 10.0.0.0/33"'],
  [
    "in and local",
    `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    local: true\n    packets: tcp any -> any\n    expect: delivered\n`,
    "5:5",
    'give "in: IFACE" or "local: true", not both',
  ],
  ["local: false", `rules: r.v4\nexpectations:\n  - name: x\n    local: false\n    packets: tcp any -> any\n    expect: delivered\n`, "4:12", '"local" is "local: true"'],
  [
    "packets without an origin",
    `rules: r.v4\nexpectations:\n  - name: x\n    packets: tcp any -> any\n    expect: delivered\n`,
    "4:14",
    '"in: IFACE" or "local: true" says where the packets come from',
  ],
  ["an origin without packets", `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    expect: delivered\n`, "4:9", '"packets: PACKETSET" says which packets come in on eth0'],
  [
    "before with an outcome",
    `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> any\n    expect: delivered\n    before: b.v4\n`,
    "7:5",
    '"before" goes with "expect: no-change"',
  ],
  ["allow that is not a list", `rules: r.v4\nexpectations:\n  - name: x\n    expect: no-change\n    before: r.v4\n    allow: tcp any -> any\n`, "6:12", "expected a list of allowed changes"],
  [
    "allow with options",
    `rules: r.v4\nexpectations:\n  - name: x\n    expect: no-change\n    before: r.v4\n    allow:\n      - packets: tcp any -> any [flags ACK]\n`,
    "7:18",
    "an allowed change takes no [...] options",
  ],
  [
    "allow with other options than the packets'",
    `rules: r.v4\nexpectations:\n  - name: x\n    expect: no-change\n    before: r.v4\n    in: eth0\n    packets: tcp any -> any [flags ACK]\n    allow:\n      - packets: tcp any -> any:22\n`,
    "9:18",
    "must be those of the expectation's packets",
  ],
  ["a no-change without before", `rules: r.v4\nexpectations:\n  - name: x\n    expect: no-change\n`, "3:5", 'a no-change expectation needs "before: FILE"'],
  [
    "an IPv6 PACKETSET with iptables rules",
    `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> [2001:db8::1]:22\n    expect: delivered\n`,
    "5:14",
    'destination "2001:db8::1" is an IPv6 address, and the rules are an iptables (IPv4) dump [check-family]',
  ],
  [
    "an IPv4 PACKETSET with ip6tables rules",
    v6("    in: eth0\n    packets: tcp 10.0.0.0/8 -> any:22\n    expect: delivered\n"),
    "5:14",
    'source "10.0.0.0/8" is an IPv4 address, and the rules are an ip6tables (IPv6) dump [check-family]',
  ],
  [
    "icmp with ip6tables rules",
    v6("    in: eth0\n    packets: icmp any -> any\n    expect: dropped\n"),
    "5:14",
    'bad PACKETSET "icmp any -> any": use "icmpv6" for IPv6 (a packet of next header 1 is "1 SRC -> DST") [check-family]',
  ],
  [
    "a bad IPv6 PACKETSET",
    v6("    in: eth0\n    packets: tcp any -> [fd00::/129]:22\n    expect: dropped\n"),
    "5:14",
    'destination "fd00::/129": the prefix length is not a number from 0 to 128 [check-bad-packets]',
  ],
  [
    "an IPv4 NAT address with ip6tables rules, at the word",
    v6("    in: eth0\n    packets: tcp any -> [fd00:1::1]:8080\n    expect: forwarded after NAT to 10.0.0.1:80\n"),
    "6:36",
    '"10.0.0.1:80" is an IPv4 address, and the rules are an ip6tables (IPv6) dump [check-family]',
  ],
  [
    "an IPv6 NAT address with iptables rules, at the word",
    `rules: r.v4\nexpectations:\n  - name: x\n    in: eth0\n    packets: tcp any -> any\n    expect: forwarded after NAT from fd00::1\n`,
    "6:38",
    '"fd00::1" is an IPv6 address, and the rules are an iptables (IPv4) dump [check-family]',
  ],
  [
    "an IPv6 NAT port out of range",
    v6("    in: eth0\n    packets: tcp any -> any\n    expect: forwarded after NAT to [fd00:2::2]:65536\n"),
    "6:36",
    "port 65536 is outside 0-65535 [check-bad-outcome]",
  ],
  [
    "an IPv6 NAT address that is none",
    v6("    in: eth0\n    packets: tcp any -> any\n    expect: forwarded after NAT to fd00::2::2\n"),
    "6:36",
    '"fd00::2::2" is not an address with an optional port',
  ],
  [
    "a no-change's packets of the other family",
    v6("    expect: no-change\n    before: r.v6\n    in: eth0\n    packets: tcp 192.0.2.0/24 -> any\n"),
    "7:14",
    'source "192.0.2.0/24" is an IPv4 address, and the rules are an ip6tables (IPv6) dump [check-family]',
  ],
  [
    "an allowed change of the other family",
    v6("    expect: no-change\n    before: r.v6\n    allow:\n      - in: eth0\n        packets: udp any -> 192.0.2.1\n"),
    "8:18",
    "is an IPv4 address, and the rules are an ip6tables (IPv6) dump [check-family]",
  ],
  [
    "an IPv6 allowed change with other options than the packets'",
    v6("    expect: no-change\n    before: r.v6\n    in: eth0\n    packets: tcp any -> any [flags ACK]\n    allow:\n      - packets: tcp any -> [fd00:1::1]:22\n"),
    "9:18",
    "the changes are compared for those packets [check-allow-options]",
  ],
  // As diff loads AFTER: in BEFORE's family, here the rules'.
  ["a before of the other family", v6("    expect: no-change\n    before: a.v4\n"), "5:13", "a.v4: 1 error; nothing was loaded"],
  ["no rules", `expectations:\n${GOOD}`, "1:1", 'say which rules: "rules: FILE"'],
  ["an unknown interface", `rules: r.v4\nexpectations:\n  - name: x\n    in: eth9\n    packets: tcp any -> any\n    expect: delivered\n`, "4:9", 'the host has no interface "eth9" (it has lo, eth0)'],
  [
    "an unknown interface in an allowed change",
    `rules: r.v4\nexpectations:\n  - name: x\n    expect: no-change\n    before: r.v4\n    allow:\n      - in: wlan0\n        packets: tcp any -> any\n`,
    "7:13",
    'the host has no interface "wlan0"',
  ],
  ["a rules file that does not exist", `rules: nowhere.v4\nexpectations:\n${GOOD}`, "1:8", "nowhere.v4: cannot read: no such file"],
  ["a before file that does not exist", `rules: r.v4\nexpectations:\n  - name: x\n    expect: no-change\n    before: old.v4\n`, "5:13", "old.v4: cannot read: no such file"],
  ["a rules file that does not load", `rules: bad.v4\nexpectations:\n${GOOD}`, "1:8", "bad.v4: 1 error; nothing was loaded"],
];

describe("bad expectation files: exit 2, the error at its line and column", () => {
  test.each(BAD)("%s", async (_, yaml, at, message) => {
    const r = await runCli(["check", "e.yaml"], {
      "e.yaml": yaml,
      "r.v4": RULES,
      "r.v6": RULES6,
      "a.v4": RULES.replace("COMMIT", "-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT"),
      "bad.v4": "*filter\n-A NOWHERE -j ACCEPT\nCOMMIT\n",
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const [line, column] = at.split(":").map(Number) as [number, number];
    const shown = yaml.split("\n")[line - 1]!;
    // The diagnostic, the line it is about, and a caret under its column.
    const place = r.stderr.indexOf(`e.yaml:${at}: error: `);
    expect(place, r.stderr).toBeGreaterThanOrEqual(0);
    const [head, quoted, caret] = r.stderr.slice(place).split("\n");
    expect(head).toContain(message);
    expect(quoted).toBe(` ${line} | ${shown}`);
    expect(caret!.indexOf("^") - ` ${line} | `.length).toBe(column - 1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test("YAML nested too deeply: one error at its place, exit 2, no stack trace", async () => {
  const r = await runCli(["check", "e.yaml"], { "e.yaml": `expectations: ${"[".repeat(100_000)}\n` });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^e\.yaml:1:\d+: error: the YAML is nested too deeply \[yaml-syntax\]\n/);
  expect(r.stderr.match(/error:/g)).toHaveLength(1);
});
