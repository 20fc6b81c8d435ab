/**
 * `why` never gives harmful advice: every fix it prints is applied here to the dump's text
 * (independently of nfwalk's own change code) and checked with `nfwalk trace` — the packet
 * gets there and its reply (`trace --reply`) gets back; fixes are narrow (never everything
 * between two interfaces, never around an ipset allow-list); the assumed host is said; IPv6,
 * Kubernetes and exit codes as the issue asks.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";
import { applyCommands } from "./apply-commands.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const example = (f: string) => readFileSync(join(dir, f), "utf8");
const host = ["--addr", "ip-addr.json", "--route", "ip-route.json"];
const hostFiles = { "ip-addr.json": example("ip-addr.json"), "ip-route.json": example("ip-route.json") };

interface FixJson {
  readonly commands: readonly string[];
  readonly packet: string;
  readonly reply: string;
  readonly alsoChanges: readonly { change: string; origin: { in?: string; local?: true }; before: string; after: string; packets: string[]; example: string; reason?: string }[];
}

const filter = (policies: string, rules: string[]) => `*filter\n${policies}\n${rules.join("\n")}${rules.length > 0 ? "\n" : ""}COMMIT\n`;

async function why(rules: string, packet: string, extra: string[] = [], files: Record<string, string> = {}) {
  const r = await runCli(["why", "--rules", "r", ...extra, "--json", packet], { r: rules, ...hostFiles, ...files });
  expect(r.stderr).toBe("");
  return { code: r.code, why: JSON.parse(r.stdout) as { fixes: FixJson[]; advice: string[]; assumedHost?: string[]; origin: { in?: string; local?: true }; packet: { sport?: number } } };
}

/** Traces the packet and its reply with nfwalk trace on the dump with the fix's commands applied by text. */
async function checkWithTrace(rules: string, fix: FixJson, packet: string, origin: string[], extra: string[] = [], files: Record<string, string> = {}) {
  const fixed = applyCommands(rules, fix.commands);
  const run = (more: string[]) => runCli(["trace", "--rules", "fixed", ...extra, ...origin, "--json", ...more, packet], { fixed, ...hostFiles, ...files });
  const first = await run([]);
  const reply = await run(["--reply"]);
  return { first: JSON.parse(first.stdout), reply: JSON.parse(reply.stdout), fixed, run };
}

describe("every fix is proven: the packet gets there and its reply gets back", () => {
  const dockerUser = example("rules-docker-user.v4");
  const cases = [
    { name: "DOCKER-USER drops the client's subnet", rules: dockerUser, packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: ["--in", "eth0"], extra: host },
    { name: "DOCKER-USER matches the published port", rules: example("rules-docker-user-port.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: ["--in", "eth0"], extra: host },
    { name: "FORWARD policy DROP (Docker)", rules: example("rules.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.1.10:443", origin: ["--in", "eth0"], extra: host },
    { name: "INPUT drops a host port (ufw layout)", rules: example("rules-ufw.v4"), packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:9090", origin: ["--in", "eth0"], extra: host },
    {
      name: "the default host's FORWARD policy DROP",
      rules: filter(":INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]", []),
      packet: "tcp 203.0.113.7:40000 -> 10.0.0.9:80",
      origin: ["--in", "eth0"],
      extra: [],
    },
    {
      name: "OUTPUT drops the reply of an accepted packet",
      rules: filter(":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]", ["-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"]),
      packet: "tcp 203.0.113.7:40000 -> 10.0.0.1:22",
      origin: ["--in", "eth0"],
      extra: [],
    },
  ];

  test.each(cases)("$name", async (c) => {
    const { code, why: answer } = await why(c.rules, c.packet, [...c.extra, ...c.origin]);
    // A packet that gets there (exit 0) whose reply does not is answered as well.
    expect(code === 1 || (answer as { reply?: { getsBack: boolean } }).reply?.getsBack === false).toBe(true);
    expect(answer.fixes.length).toBeGreaterThan(0);
    for (const fix of answer.fixes.filter((f) => f.commands.every((cmd) => cmd.startsWith("iptables ")))) {
      const { first, reply } = await checkWithTrace(c.rules, fix, c.packet, c.origin, c.extra);
      expect(["delivered", "forwarded", "sent"], JSON.stringify(fix)).toContain(first.outcome);
      const back = c.origin[0] === "--local" ? reply.outcome === "delivered" : reply.egress?.interface === c.origin[1];
      expect(back, `${JSON.stringify(fix)}\n${JSON.stringify(reply)}`).toBe(true);
    }
  });

  test("never a rule for everything between two interfaces: each rule names the packet's addresses, protocol and port", async () => {
    for (const c of cases) {
      const { why: answer } = await why(c.rules, c.packet, [...c.extra, ...c.origin]);
      for (const command of answer.fixes.flatMap((f) => f.commands).filter((cmd) => / -j ACCEPT$/.test(cmd))) {
        expect(command).not.toMatch(/^iptables -[IA] \S+( \d+)? -i \S+ -o \S+ -j ACCEPT$/);
        if (command.includes("--ctorigdstport")) continue; // the user's own rule, repaired: for its port, from anyone
        expect(command).toMatch(/ -s \S+\/32 /);
        expect(command).toMatch(/ -d \S+\/32 /);
        expect(command).toMatch(/ -p tcp -m tcp --[sd]port \d+/);
      }
    }
  });

  test("a DOCKER-USER that drops everything: the fix lets this client in and the container's replies out, not everything from the container", async () => {
    const rules = example("rules.v4").replace("-A DOCKER-USER -j RETURN", "-A DOCKER-USER -j DROP");
    expect(rules).not.toBe(example("rules.v4"));
    const packet = "tcp 10.99.0.2:40000 -> 10.99.0.1:8080";
    const { why: answer } = await why(rules, packet, [...host, "--in", "eth0"]);
    const fix = answer.fixes[0]!;
    expect(fix.commands.every((c) => c.startsWith("iptables -I DOCKER-USER "))).toBe(true);
    expect(fix.commands.some((c) => / -s 172\.17\.0\.2\/32 .*--ctstate ESTABLISHED --ctdir REPLY -j ACCEPT$/.test(c))).toBe(true);
    const { first, reply, run } = await checkWithTrace(rules, fix, packet, ["--in", "eth0"], host);
    expect([first.outcome, reply.outcome, reply.egress.interface]).toEqual(["forwarded", "forwarded", "eth0"]);
    // The container still cannot open a connection of its own to the client, nor another client reach it.
    const fixed = applyCommands(rules, fix.commands);
    const fromContainer = await runCli(["trace", "--rules", "fixed", ...host, "--in", "docker0", "tcp 172.17.0.2:80 -> 10.99.0.2:40000"], { fixed, ...hostFiles });
    expect(fromContainer.code).toBe(1);
    expect((await runCli(["trace", "--rules", "fixed", ...host, "--in", "eth0", "tcp 10.99.0.7:40000 -> 10.99.0.1:8080"], { fixed, ...hostFiles })).code).toBe(1);
    expect(run).toBeDefined();
  });

  test("what else a fix changes is the exact diff: each set it opens, beyond the asked packet, holds packets trace sees opened", async () => {
    const rules = example("rules-docker-user-port.v4");
    const packet = "tcp 10.99.0.2:40000 -> 10.99.0.1:8080";
    const { why: answer } = await why(rules, packet, [...host, "--in", "eth0"]);
    const narrow = answer.fixes[0]!;
    // The rule for this client alone opens its other source ports (and the other addresses Docker's DNAT takes), nothing else.
    expect(narrow.alsoChanges.map((d) => [d.change, d.origin, d.before, d.after])).toEqual([["opens", { in: "eth0" }, "dropped", "forwarded (docker0) [NAT: dst 172.17.0.2, dport 80]"]]);
    expect(narrow.alsoChanges[0]!.packets).toContain("tcp 10.99.0.2:0-39999,40001-65535 -> 10.99.0.1:8080");
    const fixed = applyCommands(rules, narrow.commands);
    for (const d of narrow.alsoChanges) {
      expect(d.example).not.toBe(`${packet} [flags SYN]`);
      const trace = (dump: string) => runCli(["trace", "--rules", "r", ...host, "--in", d.origin.in!, d.example], { r: dump, ...hostFiles });
      expect([(await trace(rules)).code, (await trace(fixed)).code], d.example).toEqual([1, 0]);
    }
    // Repairing the user's own rule opens the port to every source; the packet sets do not follow --ctorigdstport, and the fix says so.
    const repaired = answer.fixes.find((f) => f.commands.some((c) => c.includes("--ctorigdstport 8080")))!;
    expect(repaired.alsoChanges.some((d) => d.change === "undetermined" && /--ctorig/.test(d.reason ?? ""))).toBe(true);
    expect(answer.fixes.indexOf(repaired)).toBe(1);
  });

  test("a fix for the reply alone changes no new connection; an IPv6 fix is diffed too", async () => {
    const rules = filter(":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]", ["-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"]);
    const { why: answer } = await why(rules, "tcp 203.0.113.7:40000 -> 10.0.0.1:22", ["--in", "eth0"]);
    expect(answer.fixes[0]!.commands[0]).toMatch(/--ctstate ESTABLISHED --ctdir REPLY -j ACCEPT$/);
    expect(answer.fixes[0]!.alsoChanges).toEqual([]);
    const text = await runCli(["why", "--rules", "r", "--in", "eth0", "tcp 203.0.113.7:40000 -> 10.0.0.1:22"], { r: rules });
    expect(text.stdout).toMatch(/^also {6}nothing else: by diff against the current rules/m);
    const six = filter(":INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]", ["-A INPUT -s 2001:db8::1/128 -p tcp -m tcp --dport 22 -j ACCEPT"]);
    const v6 = await runCli(["why", "--rules", "r6", "--in", "eth0", "--json", "tcp [2001:db8::1]:40000 -> [2001:db8:6e66::1]:80"], { r6: six });
    // The rule for this client and port opens its other source ports, nothing else.
    const opened = (JSON.parse(v6.stdout) as { fixes: FixJson[] }).fixes[0]!.alsoChanges;
    expect(opened.map((d) => [d.change, d.origin, d.before, d.after, d.packets])).toEqual([
      ["opens", { in: "eth0" }, "dropped", "delivered", ["tcp [2001:db8::1]:0-39999,40001-65535 -> [2001:db8:6e66::1]:80"]],
    ]);
  });

  test("a sysctl fix is proven too, and a fix that cannot work is not printed", async () => {
    const rules = filter(":INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]", []);
    const off = await why(rules, "tcp 203.0.113.7:40000 -> 10.0.0.9:80", ["--sysctl", "net.ipv4.ip_forward=0", "--in", "eth0"]);
    // Forwarding on alone would still meet FORWARD's DROP: the fix adds the narrow rules it needs.
    expect(off.why.fixes[0]!.commands[0]).toBe("sysctl -w net.ipv4.ip_forward=1");
    expect(off.why.fixes[0]!.commands.length).toBe(3);
  });
});

describe("the assumed host is said", () => {
  const rules = filter(":INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]", []);
  test("in text and JSON when no --addr/--route is given, and not when they are", async () => {
    const text = await runCli(["why", "--rules", "r", "tcp 203.0.113.7 -> 10.0.0.1:22"], { r: rules });
    expect(text.stdout).toMatch(/^host {6}no --addr\/--route given, so nfwalk assumed this host: lo has 127\.0\.0\.1\/8/m);
    const { why: answer } = await why(rules, "tcp 203.0.113.7 -> 10.0.0.1:22");
    expect(answer.assumedHost).toContain("eth0 has 10.0.0.1/24 and 2001:db8::1/64; the default routes go via 10.0.0.254 and 2001:db8::fffe");
    const given = await why(rules, "tcp 203.0.113.7 -> 10.99.0.1:22", host);
    expect(given.why.assumedHost).toBeUndefined();
  });
});

describe("with --ipset, the sets decide and the fix adds to the allow-list", () => {
  const rules = filter(":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]", [
    "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-A INPUT -p tcp -m tcp --dport 22 -m set --match-set admins src -j ACCEPT",
  ]);
  const ipset = { ips: "create admins hash:ip family inet hashsize 1024 maxelem 65536\nadd admins 10.0.0.5\n" };

  test("an address outside the set: ipset add, never an iptables rule around the set", async () => {
    const { code, why: answer } = await why(rules, "tcp 203.0.113.7 -> 10.0.0.1:22", ["--ipset", "ips"], ipset);
    expect(code).toBe(1);
    expect(answer.fixes.map((f) => f.commands)).toEqual([["ipset add admins 203.0.113.7"]]);
    const trace = await runCli(["trace", "--rules", "r", "--ipset", "ips", "--in", "eth0", "tcp 203.0.113.7:40000 -> 10.0.0.1:22"], { r: rules, ...ipset });
    expect(trace.code).toBe(1);
    // Added to the set, the packet gets through: what the fix says.
    const added = { ips: ipset.ips + "add admins 203.0.113.7\n" };
    expect((await runCli(["trace", "--rules", "r", "--ipset", "ips", "--in", "eth0", "tcp 203.0.113.7:40000 -> 10.0.0.1:22"], { r: rules, ...added })).code).toBe(0);
  });

  test("a member: why and trace agree it gets through", async () => {
    const { code, why: answer } = await why(rules, "tcp 10.0.0.5 -> 10.0.0.1:22", ["--ipset", "ips"], ipset);
    const trace = await runCli(["trace", "--rules", "r", "--ipset", "ips", "--in", "eth0", "tcp 10.0.0.5:40000 -> 10.0.0.1:22"], { r: rules, ...ipset });
    expect([code, trace.code]).toEqual([0, 0]);
    expect(answer.fixes).toEqual([]);
  });
});

describe("IPv6", () => {
  const rules = filter(":INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]", ["-A INPUT -s 2001:db8::1/128 -p tcp -m tcp --dport 22 -j ACCEPT"]);
  test("brackets around addresses with ports, ip6tables in fixes, a default host that is none of the dump's addresses", async () => {
    const r = await runCli(["why", "--rules", "r6", "tcp [2001:db8::1]:40000 -> [2001:db8:6e66::1]:22"], { r6: rules });
    expect(r.stdout.split("\n")[0]).toBe("tcp [2001:db8::1]:40000 -> [2001:db8:6e66::1]:22, arriving on eth0 (the host routes 2001:db8::1 through eth0)");
    expect(r.stdout).not.toMatch(/2001:db8::1\/64/);
    expect(r.code).toBe(0);
    const blocked = await runCli(["why", "--rules", "r6", "--json", "tcp [2001:db8::1]:40000 -> [2001:db8:6e66::1]:80"], { r6: rules });
    const fixes = JSON.parse(blocked.stdout).fixes as FixJson[];
    expect(fixes[0]!.commands).toEqual(["ip6tables -A INPUT -s 2001:db8::1/128 -d 2001:db8:6e66::1/128 -i eth0 -p tcp -m tcp --dport 80 -j ACCEPT"]);
  });
});

describe("who wrote the rules", () => {
  const corpus = resolve(import.meta.dirname, "../../../shared/corpus/real");
  const have = existsSync(corpus);
  if (!have) console.log("kube why checks skipped: ../shared/corpus/real is not there");

  test.skipIf(!have)("a Kubernetes node with an empty DOCKER chain is kube-proxy's, not Docker's", async () => {
    const rules = readFileSync(join(corpus, "blog-k8s-flannel__k8s-1.26-flannel-master.rules"), "utf8");
    const r = await runCli(["why", "--rules", "k", "tcp 203.0.113.7 -> 10.96.0.1:443"], { k: rules });
    expect(r.stdout).toMatch(/^rules {5}written by kube-proxy \(iptables mode\)$/m);
    expect(r.stdout).not.toMatch(/Docker/);
  });

  test.skipIf(!have)("an IPVS-mode node is said to be IPVS mode and not modelled", async () => {
    const rules = readFileSync(join(corpus, "blog-k8s-notes__k8s-1.23-ipvs-calico-nat.rules"), "utf8");
    const r = await runCli(["why", "--rules", "k", "tcp 203.0.113.7 -> 10.96.0.1:443"], { k: rules });
    expect(r.stdout).toMatch(/^note {6}kube-proxy runs in IPVS mode here: its services are in the kernel's IPVS tables/m);
    const json = await runCli(["why", "--rules", "k", "--json", "tcp 203.0.113.7 -> 10.96.0.1:443"], { k: rules });
    expect(JSON.parse(json.stdout).kubeProxy).toBe("ipvs");
  });

  test("rules for Docker's bridges without Docker's chains are not called \"no Docker rules\"", async () => {
    const rules = `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n`;
    const r = await runCli(["why", "--rules", "d", "tcp 172.17.0.2 -> 203.0.113.9:443"], { d: rules });
    expect(r.stdout).not.toMatch(/no Docker rules/);
    expect(r.stdout).toMatch(/^rules {5}written by hand or another tool: the rules name Docker's bridges/m);
  });
});

describe("exit 3 only when the outcome depends on what nfwalk cannot know", () => {
  const nat = (rule: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${rule}\nCOMMIT\n`;
  const cases = [
    // Masqueraded or not, the packet leaves: reached either way.
    { name: "every branch reaches", rules: nat("-A POSTROUTING -m limit --limit 1/sec -j MASQUERADE"), code: 0 },
    // Dropped or rejected: stopped either way.
    {
      name: "every branch stops",
      rules: filter(":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]", ["-A FORWARD -m limit --limit 1/sec -j DROP", "-A FORWARD -j REJECT --reject-with icmp-port-unreachable"]),
      code: 1,
    },
    { name: "the branches differ", rules: filter(":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]", ["-A FORWARD -m limit --limit 1/sec -j DROP"]), code: 3 },
  ];
  test.each(cases)("$name: why and trace exit $code", async (c) => {
    const w = await runCli(["why", "--rules", "r", "--in", "eth0", "tcp 10.0.0.7 -> 203.0.113.9:443"], { r: c.rules });
    const t = await runCli(["trace", "--rules", "r", "--in", "eth0", "tcp 10.0.0.7:40000 -> 203.0.113.9:443"], { r: c.rules });
    expect([w.code, t.code]).toEqual([c.code, c.code]);
  });
});

describe("why and trace agree on rules about the host's own addresses (addrtype, lo, --limit-iface)", () => {
  const rules = filter(":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]", [
    "-A INPUT -i lo -j ACCEPT",
    "-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -p tcp -m tcp --dport 80 -j ACCEPT",
    "-A INPUT -m addrtype --dst-type BROADCAST -p udp -j ACCEPT",
    "-A OUTPUT -m addrtype --src-type LOCAL --limit-iface-out -p tcp -j ACCEPT",
    "-A OUTPUT -o lo -j ACCEPT",
  ]);
  const packets: [string, string[]][] = [
    ["tcp 203.0.113.7:40000 -> 10.0.0.1:80", ["--in", "eth0"]],
    ["tcp 203.0.113.7:40000 -> 10.0.0.1:81", ["--in", "eth0"]],
    ["tcp 203.0.113.7:40000 -> 127.0.0.1:80", ["--in", "eth0"]],
    ["udp 10.0.0.7:40000 -> 10.0.0.255:53", ["--in", "eth0"]],
    ["udp 10.0.0.7:40000 -> 10.0.0.1:53", ["--in", "eth0"]],
    ["tcp 10.0.0.1:40000 -> 203.0.113.7:443", ["--local"]],
    ["tcp 127.0.0.1:40000 -> 10.0.0.1:80", ["--local"]],
    ["udp 10.0.0.1:40000 -> 203.0.113.7:53", ["--local"]],
  ];
  test.each(packets)("%s %j", async (packet, origin) => {
    const t = await runCli(["trace", "--rules", "r", ...origin, "--json", packet], { r: rules });
    const w = await runCli(["why", "--rules", "r", ...origin, "--json", packet], { r: rules });
    const trace = JSON.parse(t.stdout);
    const answer = JSON.parse(w.stdout);
    expect([answer.outcome, w.code]).toEqual([trace.outcome, t.code]);
    const last = trace.steps.filter((s: { type: string }) => s.type === "rule" || s.type === "policy").at(-1);
    if (answer.reached === false && answer.decisive.kind === "rule") expect([answer.decisive.chain, answer.decisive.rule]).toEqual([last.chain, last.rule]);
    if (answer.reached === false && answer.decisive.kind === "policy") expect([answer.decisive.chain, last.type]).toEqual([last.chain, "policy"]);
    // A rule why says would have accepted the packet but for the decisive step holds in full only if it comes after it.
    for (const miss of answer.whyNot) if (miss.conditions.every((c: { result: string }) => c.result === "holds")) expect(miss.note).toMatch(/decides first|returns first/);
  });
});

test("FORWARD's DROP on a host whose rules name Docker's bridges without Docker's chains: not \"Docker wrote no rules\"", async () => {
  const rules = filter(":INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]", ["-A FORWARD -i docker0 -o eth0 -p udp -j ACCEPT"]);
  const r = await runCli(["why", "--rules", "r", "--in", "docker0", "tcp 172.17.0.2 -> 203.0.113.9:443"], { r: rules });
  expect(r.code).toBe(1);
  expect(r.stdout).not.toMatch(/Docker wrote no rules|no Docker rules/);
  expect(r.stdout).toMatch(/none of Docker's chains are in the rules/);
});

describe("a port Docker publishes on 127.0.0.1 only (-p 127.0.0.1:8080:80)", () => {
  const rules = example("rules.v4").replace("-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT", "-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT");
  const run = (origin: string[], packet: string) => runCli(["why", "--rules", "r", ...host, ...origin, "--json", packet], { r: rules, ...hostFiles });

  test("a client elsewhere is told why it reaches the host's own port, and never to connect to 127.0.0.1", async () => {
    expect(rules).not.toBe(example("rules.v4"));
    const toHost = JSON.parse((await run(["--in", "eth0"], "tcp 10.99.0.2:40000 -> 10.99.0.1:8080")).stdout);
    expect(toHost.traps.map((t: { name: string }) => t.name)).toEqual(["published-on-loopback"]);
    const direct = JSON.parse((await run(["--in", "eth0"], "tcp 10.99.0.2:40000 -> 172.17.0.2:80")).stdout);
    expect(JSON.stringify(direct.fixes)).not.toMatch(/127\.0\.0\.1/);
  });
});
