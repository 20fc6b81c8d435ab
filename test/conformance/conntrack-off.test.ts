/**
 * Connection tracking as the kernel runs it: only while a loaded rule needs it. The lab's
 * host here has no other conntrack user (buildTopology with conntrack: false), so the
 * kernel decides from the ruleset alone, and nfwalk must decide the same: which extensions
 * turn it on (in a chain no packet reaches: loading is what counts), and what a host without
 * it does (nat chains see nothing, later fragments meet the rules undefragmented).
 */
import { describe, expect, test } from "vitest";
import { compare, sharedLab, type Case } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { DEFRAGMENT_ONLY, LEAVE_CONNTRACK_OFF, TURN_CONNTRACK_ON } from "../helpers/conntrack-users.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`conntrack-off conformance skipped: ${available.reason}`);

/**
 * A nat rule that counts every first packet from ext (it moves only while conntrack runs),
 * and one rule in an unreached user chain of `table`.
 */
function probeRules(table: string, rule: string): string {
  const nat = ["*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", "-A PREROUTING -i eth0"];
  const unreached = [":X - [0:0]", `-A X ${rule}`];
  if (table === "nat") return [...nat, ...unreached, "COMMIT", ""].join("\n");
  return [...nat, "COMMIT", `*${table}`, ...unreached, "COMMIT", ""].join("\n");
}

const EXTENSIONS = [...TURN_CONNTRACK_ON, ...LEAVE_CONNTRACK_OFF, ...DEFRAGMENT_ONLY];

const filter = (...rules: string[]): string => ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...rules, "COMMIT", ""].join("\n");
const natJumps = [
  "*nat",
  ":PREROUTING ACCEPT [0:0]",
  ":INPUT ACCEPT [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  ":POSTROUTING ACCEPT [0:0]",
  ":DOCKER - [0:0]",
  "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
  "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
  "-A POSTROUTING -j RETURN",
  "COMMIT",
  "",
].join("\n");

/** nat marks ssh, filter drops what is marked: only while conntrack runs is anything dropped. */
const MARK_IN_NAT = [
  "*nat",
  ":PREROUTING ACCEPT [0:0]",
  ":INPUT ACCEPT [0:0]",
  "-A PREROUTING -p tcp -m tcp --dport 22 -j MARK --set-xmark 0x1/0xffffffff",
  "COMMIT",
  filter("-A INPUT -m mark --mark 0x1 -j DROP"),
].join("\n");

const CASES: readonly (Case & { readonly name: string })[] = [
  { name: "nat chains with jumps only see no arriving packet", rules: natJumps, packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", origin: { in: "eth0" } },
  { name: "nor a forwarded one", rules: natJumps, packet: "tcp 10.99.0.2:40000 -> 172.17.0.2:80", origin: { in: "eth0" } },
  { name: "nor a locally sent one", rules: natJumps, packet: "tcp 10.99.0.1:40000 -> 10.99.0.1:8080", origin: { local: true } },
  {
    name: "a MARK in nat PREROUTING is never set, so filter does not see it",
    rules: MARK_IN_NAT,
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22",
    origin: { in: "eth0" },
  },
  {
    name: "a later fragment meets PREROUTING as it is (no defragmentation), then waits in reassembly before INPUT",
    rules: ["*raw", ":PREROUTING ACCEPT [0:0]", "-A PREROUTING -f", "-A PREROUTING -p tcp -m tcp --dport 80", "COMMIT", filter("-A INPUT -f")].join("\n"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:80 [frag 10]",
    origin: { in: "eth0" },
  },
  {
    name: "a later fragment is forwarded as it is",
    rules: filter("-A FORWARD -f -j ACCEPT", "-A FORWARD -j DROP"),
    packet: "udp 10.99.0.2:40000 -> 172.17.0.2:53 [frag 10]",
    origin: { in: "eth0" },
  },
  {
    name: "a later fragment a host process sends goes out as it is",
    rules: filter("-A OUTPUT -f", "-A OUTPUT -p udp -m udp --dport 53"),
    packet: "udp 10.99.0.1:40000 -> 10.99.1.10:53 [frag 10]",
    origin: { local: true },
  },
  {
    name: "a socket match alone turns defragmentation on: the later fragment is held",
    rules: ["*mangle", ":PREROUTING ACCEPT [0:0]", ":X - [0:0]", "-A X -m socket", "COMMIT", filter("-A INPUT -f")].join("\n"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:80 [frag 10]",
    origin: { in: "eth0" },
  },
  {
    name: "NOTRACK in raw with conntrack off: nothing changes",
    rules: ["*raw", ":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j CT --notrack", "COMMIT", filter("-A INPUT -p tcp")].join("\n"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:80",
    origin: { in: "eth0" },
  },
  {
    name: "a state match turns it on: the same nat chains now count",
    rules: [natJumps.trimEnd(), filter("-A INPUT -m state --state NEW")].join("\n"),
    packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:8080",
    origin: { in: "eth0" },
  },
];

describe.skipIf(!available.ok)("conntrack only while the rules need it (kernel)", () => {
  const lab = sharedLab(available, { conntrack: false });

  test.each(EXTENSIONS.map(([table, rule]) => [`${table}: ${rule}`, table, rule] as const))("%s", async (_name, table, rule) => {
    const verdict = await compare(lab.topology, lab.host, { rules: probeRules(table, rule), packet: "udp 10.99.0.2:40000 -> 10.99.0.1:9999", origin: { in: "eth0" } });
    expect(verdict.differences, JSON.stringify(verdict.kernel)).toEqual([]);
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const verdict = await compare(lab.topology, lab.host, c);
    expect(verdict.differences, JSON.stringify(verdict.kernel)).toEqual([]);
  });
});
