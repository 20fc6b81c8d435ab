import { describe, expect, test } from "vitest";
import { parseRuleset } from "../../src/index.js";
import { ruleCases } from "../helpers/rule-cases.js";

// Each checked with iptables-restore / iptables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "interfaces, protocol and counters in the rule",
  [
    // "+" is every interface: iptables-nft makes no comparison of it, but keeps "! -i +".
    ["-i + -j ACCEPT", "-j ACCEPT"],
    ["-i + -p tcp", "-p tcp"],
    ["-o + -i eth0", "-i eth0"],
    ["! -i +", "="],
    // "! -p all": "rule would never match protocol"
    ["! -p all -j ACCEPT", { error: "bad-value" }],
    ["! -p 0 -j ACCEPT", { error: "bad-value" }],
    ["-p 0 -j ACCEPT", "-j ACCEPT"],
    // -c P,B or -c P B sets the rule's counters and is not printed with the rule
    ["-c 2,3 -j ACCEPT", "-j ACCEPT"],
    ["-c 2 3 -j ACCEPT", "-j ACCEPT"],
    ["-j ACCEPT -c 5,6", "-j ACCEPT"],
    ["-c +2,3 -j ACCEPT", "-j ACCEPT"],
    ['-c "" -j ACCEPT', { error: "bad-counters" }],
    ["-c ,3", { error: "bad-counters" }],
    ["-c 3,", { error: "bad-counters" }],
    ["-c ,", { error: "bad-counters" }],
    ["-c 2,3 -c 4,5 -j ACCEPT", { error: "duplicate-option" }],
    ["! -c 2,3 -j ACCEPT", { error: "bad-negation" }],
    ["-c1,2 -j ACCEPT", "-j ACCEPT"],
    // 1.8.9 reads -s, -d, -i, -o, -p and -j given in one word as the whole word (-m, -c, -g and
    // extension options are split as getopt splits them)
    ["-ptcp", { error: "unknown-protocol" }],
    ["--protocol=tcp", { error: "unknown-protocol" }],
    ["-s1.2.3.4 -j ACCEPT", { error: "bad-address" }],
    ["--jump=ACCEPT", { error: "unknown-chain" }],
    ["--in-interface=eth0", { error: "bad-interface" }],
    ["-ieth0", "-i -ieth0"],
    ["-mcomment --comment x", "-m comment --comment x"],
    ["-p tcp --dport=22", "-p tcp -m tcp --dport 22"],
    // "Extension … revision 0 not supported, missing kernel module?"
    ["-d 10.31.3.236/32 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:AA:7B:47:F7:D7 --total-nodes 2 --local-node 1", { error: "unavailable-target" }],
    ["-j ULOG", { error: "unavailable-target" }],
  ],
  { chain: "FORWARD" },
);

describe("-c in a rule", () => {
  test("gives the rule its counters, as iptables-save -c shows them", () => {
    const r = parseRuleset("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -c 2 3 -j ACCEPT\n-A INPUT -c 4,5\nCOMMIT\n", { file: "t", family: "ipv4" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rules = r.ruleset.tablesByName.get("filter")!.chainsByName.get("INPUT")!.rules;
    expect(rules.map((rule) => rule.counters)).toEqual([
      { packets: 2n, bytes: 3n },
      { packets: 4n, bytes: 5n },
    ]);
  });
});

describe("a rule's headers", () => {
  const load = (...rules: string[]) => {
    const r = parseRuleset(["*filter", ...rules, "COMMIT", ""].join("\n"));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
    return r.ruleset.tables[0]!.chains.find((c) => c.name === "FORWARD")!.rules;
  };

  test("one for each source and destination, each with the rule's other fields", () => {
    const rules = load("-A FORWARD -s 1.1.1.1,2.2.2.2 -d 3.3.3.3,4.4.4.4 -i eth0 ! -p tcp -j ACCEPT", "-A FORWARD ! -s 5.5.5.5 -o eth1 -f -j DROP");
    expect(rules.map((r) => [r.header.source?.value.address, r.header.destination?.value.address, r.header.inInterface?.value, r.header.protocol])).toEqual([
      [0x01010101, 0x03030303, "eth0", { value: 6, negated: true }],
      [0x01010101, 0x04040404, "eth0", { value: 6, negated: true }],
      [0x02020202, 0x03030303, "eth0", { value: 6, negated: true }],
      [0x02020202, 0x04040404, "eth0", { value: 6, negated: true }],
      [0x05050505, undefined, undefined, undefined],
    ]);
    expect(rules[4]!.header).toMatchObject({ source: { negated: true }, outInterface: { value: "eth1", negated: false }, fragment: { value: true, negated: false } });
  });

  test("all have their fields in one order, shared or not", () => {
    const rules = load("-A FORWARD -j ACCEPT", "-A FORWARD -p tcp -j ACCEPT", "-A FORWARD -i eth0 -j ACCEPT", "-A FORWARD -s 1.1.1.1 -j ACCEPT", "-A FORWARD -s 1.1.1.1,2.2.2.2 -j ACCEPT");
    const order = ["source", "destination", "inInterface", "outInterface", "protocol", "fragment"];
    for (const rule of rules) expect(Object.keys(rule.header)).toEqual(order);
  });
});
