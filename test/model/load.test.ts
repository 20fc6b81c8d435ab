/**
 * Loading as iptables-restore (nf_tables) loads: each case here was checked
 * against iptables-restore 1.8.9 in a network namespace.
 */
import { describe, expect, test } from "vitest";
import { formatRuleset, parseRuleset, type LoadResult } from "../../src/index.js";

const dump = (...lines: string[]) => lines.join("\n") + "\n";
const codes = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
const warnings = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code);
const rulesOf = (r: LoadResult) =>
  r.ok
    ? formatRuleset(r.ruleset)
        .split("\n")
        .filter((l) => l.startsWith("-A"))
    : [];

describe("tables and chains", () => {
  test("tables print in iptables-save's order with every built-in chain", () => {
    const r = parseRuleset(dump("*nat", ":POSTROUTING ACCEPT [0:0]", "COMMIT", "*filter", ":INPUT DROP [1:2]", "COMMIT", "*raw", ":OUTPUT ACCEPT [0:0]", "COMMIT"));
    expect(r.ok && formatRuleset(r.ruleset)).toBe(
      dump(
        "*raw",
        ":PREROUTING ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        "COMMIT",
        "*filter",
        ":INPUT DROP [1:2]",
        ":FORWARD ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        "COMMIT",
        "*nat",
        ":PREROUTING ACCEPT [0:0]",
        ":INPUT ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":POSTROUTING ACCEPT [0:0]",
        "COMMIT",
      ),
    );
  });

  test("a table with no chains or rules is not created", () => {
    const r = parseRuleset(dump("*mangle", "COMMIT", "*filter", ":INPUT ACCEPT [0:0]", "COMMIT"));
    expect(r.ok && r.ruleset.tables.map((t) => t.name)).toEqual(["filter"]);
  });

  test("user chains are sorted by name", () => {
    const r = parseRuleset(dump("*filter", ":zeta - [0:0]", ":Alpha - [0:0]", ":alpha - [0:0]", "COMMIT"));
    expect(r.ok && r.ruleset.tables[0]!.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT", "Alpha", "alpha", "zeta"]);
    // In order but for the last, with a built-in chain and a chain declared again among them.
    const late = parseRuleset(dump("*filter", ":a - [0:0]", ":b - [0:0]", ":INPUT ACCEPT [0:0]", ":a - [0:0]", ":c - [0:0]", ":B - [0:0]", "COMMIT"));
    expect(late.ok && late.ruleset.tables[0]!.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT", "B", "a", "b", "c"]);
  });

  test('policy "-" on a built-in chain keeps ACCEPT; an unknown policy is refused', () => {
    const ok = parseRuleset(dump("*filter", ":INPUT - [0:0]", "COMMIT"));
    expect(ok.ok && ok.ruleset.tables[0]!.chains[0]!.policy).toBe("ACCEPT");
    expect(codes(parseRuleset(dump("*filter", ":INPUT FOO [0:0]", "COMMIT")))).toEqual(["bad-policy"]);
  });

  test("a later copy of a table replaces the earlier one", () => {
    const r = parseRuleset(dump("*filter", ":INPUT DROP [0:0]", "-A INPUT -j ACCEPT", "COMMIT", "*filter", ":INPUT ACCEPT [0:0]", "COMMIT"));
    expect(warnings(r)).toContain("table-reloaded");
    expect(r.ok && r.ruleset.tables[0]!.chains[0]).toMatchObject({ policy: "ACCEPT", rules: [] });
  });

  test.each([
    ["unknown table", dump("*filtr", "COMMIT"), "unknown-table"],
    ["missing COMMIT", dump("*filter", ":INPUT ACCEPT [0:0]"), "missing-commit"],
    ["new table before COMMIT", dump("*filter", "*nat", "COMMIT"), "missing-commit"],
    ["COMMIT outside a table", dump("COMMIT"), "outside-table"],
    // A dump that starts with a rule is `iptables -S` output (list-rules.test.ts); after COMMIT it is out of place.
    ["rule outside a table", dump("*filter", "COMMIT", "-A INPUT -j ACCEPT"), "outside-table"],
    ["undeclared chain in -A", dump("*filter", "-A FOO -j ACCEPT", "COMMIT"), "unknown-chain"],
    ["undeclared jump target", dump("*filter", "-A INPUT -j FOO", "COMMIT"), "unknown-chain"],
    ["jump before the declaration", dump("*filter", "-A INPUT -j X", ":X - [0:0]", "COMMIT"), "unknown-chain"],
    ["goto a verdict", dump("*filter", "-A INPUT -g ACCEPT", "COMMIT"), "unknown-chain"],
    ["chain named like a target", dump("*filter", ":LOG - [0:0]", "COMMIT"), "bad-chain"],
    ["chain name too long", dump("*filter", ":A2345678901234567890123456789 - [0:0]", "COMMIT"), "bad-chain"],
    ["loop reachable from a hook", dump("*filter", ":X - [0:0]", ":Y - [0:0]", "-A X -j Y", "-A Y -j X", "-A INPUT -j X", "COMMIT"), "jump-loop"],
    ["self jump reachable from a hook", dump("*filter", ":X - [0:0]", "-A INPUT -j X", "-A X -j X", "COMMIT"), "jump-loop"],
    ["-o in INPUT", dump("*filter", "-A INPUT -o eth0 -j ACCEPT", "COMMIT"), "bad-interface"],
    ["-i in OUTPUT", dump("*filter", "-A OUTPUT -i eth0 -j ACCEPT", "COMMIT"), "bad-interface"],
    ["interface name too long", dump("*filter", "-A INPUT -i abcdefghijklmnop -j ACCEPT", "COMMIT"), "bad-interface"],
    ["bad address", dump("*filter", "-A INPUT -s 10.0.0.256 -j ACCEPT", "COMMIT"), "bad-address"],
    ["bad prefix", dump("*filter", "-A INPUT -s 10.0.0.0/33 -j ACCEPT", "COMMIT"), "bad-address"],
    ["host name", dump("*filter", "-A INPUT -s example.com -j ACCEPT", "COMMIT"), "bad-address"],
    ["unknown protocol", dump("*filter", "-A INPUT -p tpc -j ACCEPT", "COMMIT"), "unknown-protocol"],
    ["port option without -p", dump("*filter", "-A INPUT --dport 80 -j ACCEPT", "COMMIT"), "unknown-option"],
    ["two targets", dump("*filter", "-A INPUT -j ACCEPT -j DROP", "COMMIT"), "duplicate-option"],
    ["double !", dump("*filter", "-A INPUT ! ! -s 1.2.3.4 -j ACCEPT", "COMMIT"), "bad-negation"],
    ["stray argument", dump("*filter", "-A INPUT foo -j ACCEPT", "COMMIT"), "bad-argument"],
    ["unterminated quote", dump("*filter", '-A INPUT -m comment --comment "x', "COMMIT"), "syntax"],
    ["-I beyond the end", dump("*filter", "-I INPUT 3 -j ACCEPT", "COMMIT"), "bad-position"],
    ["DROP in the nat table", dump("*nat", ":X - [0:0]", "-A X -j DROP", "COMMIT"), "bad-table"],
  ])("%s is refused", (_name, text, code) => {
    const r = parseRuleset(text, { file: "t.rules" });
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
    for (const d of r.diagnostics) expect(d.span?.file).toBe("t.rules");
  });

  test("a user chain declared again is flushed, a built-in chain keeps its rules and takes the new policy", () => {
    const r = parseRuleset(dump("*filter", ":X - [0:0]", ":INPUT DROP [0:0]", "-A X -j ACCEPT", "-A INPUT -j X", ":X - [0:0]", ":INPUT ACCEPT [0:0]", "-A X -j DROP", "COMMIT"));
    expect(rulesOf(r)).toEqual(["-A INPUT -j X", "-A X -j DROP"]);
    expect(r.ok && r.ruleset.tables[0]!.chains.map((c) => [c.name, c.policy, c.line])).toEqual([
      ["INPUT", "ACCEPT", 7],
      ["FORWARD", "ACCEPT", null],
      ["OUTPUT", "ACCEPT", null],
      ["X", null, 2],
    ]);
  });

  test("policy DROP in the nat table loads (only -j DROP is refused there)", () => {
    expect(parseRuleset(dump("*nat", ":PREROUTING DROP [0:0]", "COMMIT")).ok).toBe(true);
  });

  test("a loop no hook reaches loads, as nf_tables allows", () => {
    expect(parseRuleset(dump("*filter", ":X - [0:0]", ":Y - [0:0]", "-A X -j Y", "-A Y -j X", "COMMIT")).ok).toBe(true);
  });

  test("chains hundreds of levels deep load, with a warning that iptables-nft stops at 16", () => {
    const depth = 300;
    const names = Array.from({ length: depth }, (_, i) => `C${i}`);
    const r = parseRuleset(dump("*filter", ...names.map((n) => `:${n} - [0:0]`), "-A INPUT -j C0", ...names.slice(1).map((n, i) => `-A C${i} -j ${n}`), "COMMIT"));
    expect(r.ok).toBe(true);
    expect(warnings(r)).toContain("jump-depth");
  });
});

describe("rules", () => {
  test("an option given twice names its match with -m and its target with -j", () => {
    const messages = (rule: string) => parseRuleset(dump("*nat", `-A PREROUTING ${rule}`, "COMMIT")).diagnostics.map((d) => d.message);
    expect(messages("-p tcp -m tcp --dport 80 --dport 81 -j ACCEPT")).toEqual(["--dport may be given only once for -m tcp"]);
    expect(messages("-j DNAT --to-destination 1.1.1.1 --to-destination 2.2.2.2")).toEqual(["--to-destination may be given only once for -j DNAT"]);
  });

  test("-s a,b -d c,d makes one rule per pair, and -I inserts at a position", () => {
    const r = parseRuleset(dump("*filter", "-A INPUT -s 1.1.1.1,2.2.2.2 -d 3.3.3.3,4.4.4.4 -j ACCEPT", "-I INPUT 2 -j DROP", "COMMIT"));
    expect(rulesOf(r)).toEqual([
      "-A INPUT -s 1.1.1.1/32 -d 3.3.3.3/32 -j ACCEPT",
      "-A INPUT -j DROP",
      "-A INPUT -s 1.1.1.1/32 -d 4.4.4.4/32 -j ACCEPT",
      "-A INPUT -s 2.2.2.2/32 -d 3.3.3.3/32 -j ACCEPT",
      "-A INPUT -s 2.2.2.2/32 -d 4.4.4.4/32 -j ACCEPT",
    ]);
  });

  test("rules whose header is -p alone share one header per protocol and polarity; any other field gives a rule its own", () => {
    const r = parseRuleset(
      dump(
        "*filter",
        "-A INPUT -p tcp -j ACCEPT",
        "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
        "-A INPUT ! -p tcp -j ACCEPT",
        "-A INPUT -p udp -j ACCEPT",
        "-A INPUT -p tcp -i eth0 -j ACCEPT",
        "-A INPUT -p tcp -i eth1 -j ACCEPT",
        "COMMIT",
      ),
    );
    const [tcp, tcp22, notTcp, udp, eth0, eth1] = r.ok ? r.ruleset.tables[0]!.chains[0]!.rules.map((rule) => rule.header) : [];
    expect(tcp22).toBe(tcp);
    expect(notTcp).not.toBe(tcp);
    expect(udp).not.toBe(tcp);
    expect([tcp!.protocol, notTcp!.protocol, udp!.protocol]).toEqual([
      { value: 6, negated: false },
      { value: 6, negated: true },
      { value: 17, negated: false },
    ]);
    expect([eth0!.inInterface?.value, eth1!.inInterface?.value, tcp!.inInterface]).toEqual(["eth0", "eth1", undefined]);
    expect(rulesOf(r)).toEqual([
      "-A INPUT -p tcp -j ACCEPT",
      "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
      "-A INPUT ! -p tcp -j ACCEPT",
      "-A INPUT -p udp -j ACCEPT",
      "-A INPUT -i eth0 -p tcp -j ACCEPT",
      "-A INPUT -i eth1 -p tcp -j ACCEPT",
    ]);
  });

  test("a chain's rules keep their order and numbers when other chains' rules come between them, -I included", () => {
    const r = parseRuleset(
      dump("*filter", ":X - [0:0]", "-A X -s 1.1.1.1 -j ACCEPT", "-A INPUT -j X", "-A X -s 2.2.2.2,3.3.3.3 -j ACCEPT", "-I X 2 -j DROP", "-A X -j RETURN", "-A INPUT -j DROP", "COMMIT"),
    );
    expect(rulesOf(r)).toEqual(["-A INPUT -j X", "-A INPUT -j DROP", "-A X -s 1.1.1.1/32 -j ACCEPT", "-A X -j DROP", "-A X -s 2.2.2.2/32 -j ACCEPT", "-A X -s 3.3.3.3/32 -j ACCEPT", "-A X -j RETURN"]);
    const numbered = r.ok ? r.ruleset.tables[0]!.chains.map((c) => c.rules.map((rule) => [rule.number, rule.line])) : [];
    expect(numbered).toEqual([
      [
        [1, 4],
        [2, 8],
      ],
      [],
      [],
      [
        [1, 3],
        [2, 6],
        [3, 5],
        [4, 5],
        [5, 7],
      ],
    ]);
  });

  test("header options print in iptables-save's order with masks applied", () => {
    const r = parseRuleset(
      dump("*filter", "-A INPUT -p vrrp -f -i eth1 -d 10.0.0.0/255.255.0.0 -s 10.1.2.3/8 -j ACCEPT", "-A INPUT -p 47 ! -f", "-A INPUT -p all", "-A INPUT -d 10.0.0.0/255.0.255.0", "COMMIT"),
    );
    expect(rulesOf(r)).toEqual(["-A INPUT -s 10.0.0.0/8 -d 10.0.0.0/16 -i eth1 -p vrrp -f -j ACCEPT", "-A INPUT -p gre ! -f", "-A INPUT", "-A INPUT -d 10.0.0.0/255.0.255.0"]);
  });

  test("quoting: blanks, escaped quotes and shell characters survive", () => {
    const r = parseRuleset(dump("*filter", `-A INPUT -m comment --comment "hi there \\"x\\" \\'y\\'" -m comment --comment abc_d-e`, "COMMIT"));
    expect(rulesOf(r)).toEqual([`-A INPUT -m comment --comment "hi there \\"x\\" \\'y\\'" -m comment --comment abc_d-e`]);
  });

  test("rule counters are kept as given; the line and position are recorded", () => {
    const r = parseRuleset(dump("*filter", ":INPUT ACCEPT [0:0]", "[5:300] -A INPUT -j ACCEPT", "COMMIT"));
    expect(r.ok && r.ruleset.tables[0]!.chains[0]!.rules[0]).toMatchObject({ number: 1, line: 3, counters: { packets: 5n, bytes: 300n } });
  });

  test("getopt prefixes and --opt=value are accepted", () => {
    const r = parseRuleset(dump("*filter", "-A INPUT --src 1.2.3.4 --proto tcp --dport=22 --jump ACCEPT", "COMMIT"));
    expect(rulesOf(r)).toEqual(["-A INPUT -s 1.2.3.4/32 -p tcp -m tcp --dport 22 -j ACCEPT"]);
  });

  test("IPv6 addresses print as inet_ntop writes them", () => {
    const r = parseRuleset(dump("*filter", "-A INPUT -s 2001:DB8:0:0:0:0:0:1 -d fe80::/10 -j ACCEPT", "-A INPUT -s ::ffff:1.2.3.4", "-A INPUT -s ::2 -d ::1.2.3.4", "COMMIT"), { family: "ipv6" });
    expect(rulesOf(r)).toEqual(["-A INPUT -s 2001:db8::1/128 -d fe80::/10 -j ACCEPT", "-A INPUT -s ::ffff:1.2.3.4/128", "-A INPUT -s ::2/128 -d ::1.2.3.4/128"]);
  });

  test("protocols and matches named again after many others are the same ones (the parser remembers the last eight names)", () => {
    const protocols = ["tcp", "udp", "icmp", "sctp", "gre", "esp", "ah", "udplite", "17", "TCP"];
    const matches = [
      "comment --comment x",
      "mark --mark 0x1",
      "length --length 10",
      "ttl --ttl-eq 5",
      "pkttype --pkt-type unicast",
      "conntrack --ctstate NEW",
      "addrtype --dst-type LOCAL",
      "helper --helper ftp",
      "dscp --dscp 0x01",
    ];
    const rules = protocols.map((p, i) => `-A INPUT -p ${p} -m ${matches[i % matches.length]}`);
    const r = parseRuleset(dump("*filter", ...rules, ...rules, "COMMIT"));
    const loaded = r.ok ? r.ruleset.tables[0]!.chains[0]!.rules.map((rule) => [rule.header.protocol?.value, rule.matches.map((m) => m.extension.name)]) : r.diagnostics;
    const expected = [6, 17, 1, 132, 47, 50, 51, 136, 17, 6].map((number, i) => [number, [matches[i % matches.length]!.split(" ")[0]]]);
    expect(loaded).toEqual([...expected, ...expected]);
  });

  test("an unknown match is kept verbatim with one warning per dump", () => {
    const r = parseRuleset(dump("*filter", "-A INPUT -m frobnicate --level 3 ! --x y -s 1.2.3.4 -j ACCEPT", "-A INPUT -m frobnicate --level 4", "COMMIT"));
    expect(rulesOf(r)).toEqual(["-A INPUT -s 1.2.3.4/32 -m frobnicate --level 3 ! --x y -j ACCEPT", "-A INPUT -m frobnicate --level 4"]);
    const unknown = r.diagnostics.filter((d) => d.code === "unknown-match");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.notes).toEqual(["the same on 1 more rule"]);
  });
});

describe("extensions by family", () => {
  test("ICMPv6 answers to icmp6, icmpv6 and ipv6-icmp, and loads on demand for -p ipv6-icmp", () => {
    const r = parseRuleset(dump("*filter", "-A INPUT -p ipv6-icmp -m icmpv6 --icmpv6-type 128", "-A INPUT -p icmpv6 --icmpv6-type 128", "COMMIT"), { family: "ipv6" });
    expect(rulesOf(r)).toEqual(["-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128", "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128"]);
  });

  test("a match of the other family is refused, as iptables-restore cannot load it", () => {
    expect(codes(parseRuleset(dump("*filter", "-A INPUT -p icmp -m icmp6 --icmpv6-type 128", "COMMIT"), { family: "ipv4" }))).toEqual(["wrong-family"]);
    expect(codes(parseRuleset(dump("*filter", "-A INPUT -p ipv6-icmp -m icmp --icmp-type 8", "COMMIT"), { family: "ipv6" }))).toEqual(["wrong-family"]);
  });
});
