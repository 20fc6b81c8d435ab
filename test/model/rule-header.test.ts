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
