/**
 * A rule `nfwalk lint` calls shadowed (NF101) or unreachable after a catch-all (NF102)
 * never counts a packet in the kernel: each case's packets, which the rule's own conditions
 * match, are sent with the rules loaded by iptables-restore, and `iptables-save -c` shows
 * the rule's counter at zero and a rule lint named as the reason counting the packet. As a
 * control, the same packet with those earlier rules taken out is counted by the rule: the
 * packet does meet its conditions.
 */
import { describe, expect, test } from "vitest";
import { lint, parseRuleset, type LintFinding } from "../../src/index.js";
import { sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { kernelAnswer, type KernelAnswer, type Origin } from "./oracle.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`conformance lint skipped: ${available.reason}`);

const filter = (rules: readonly string[], chains: readonly string[] = []) =>
  ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...chains.map((c) => `:${c} - [0:0]`), ...rules, "COMMIT", ""].join("\n");

interface LintCase {
  readonly name: string;
  readonly rules: string;
  /** Packets from eth0 that the shadowed rule's conditions match. */
  readonly packets: readonly string[];
}

const CASES: readonly LintCase[] = [
  { name: "a broader DROP", rules: filter(["-A INPUT -p tcp -j DROP", "-A INPUT -s 10.99.0.2/32 -p tcp -m tcp --dport 22 -j ACCEPT"]), packets: ["tcp 10.99.0.2:40000 -> 10.99.0.1:22"] },
  {
    name: "two port ranges together",
    rules: filter(["-A INPUT -p tcp -m tcp --dport 1:100 -j DROP", "-A INPUT -p tcp -m tcp --dport 101:200 -j DROP", "-A INPUT -p tcp -m multiport --dports 50,150 -j ACCEPT"]),
    packets: ["tcp 10.99.0.2:40000 -> 10.99.0.1:50", "tcp 10.99.0.2:40000 -> 10.99.0.1:150"],
  },
  {
    name: "the same state test",
    rules: filter(["-A INPUT -m conntrack --ctstate NEW -j ACCEPT", "-A INPUT -p tcp -m conntrack --ctstate NEW -j DROP"]),
    packets: ["tcp 10.99.0.2:40000 -> 10.99.0.1:80"],
  },
  { name: "a goto", rules: filter(["-A INPUT -p udp -g f", "-A INPUT -p udp -m udp --dport 53 -j DROP", "-A f -j ACCEPT"], ["f"]), packets: ["udp 10.99.0.2:40000 -> 10.99.0.1:53"] },
  {
    name: "a jump to a chain that ends every packet",
    rules: filter(["-A INPUT -s 10.99.0.0/24 -j f", "-A INPUT -s 10.99.0.2/32 -j DROP", "-A f -p tcp -j ACCEPT", "-A f -j DROP"], ["f"]),
    packets: ["tcp 10.99.0.2:40000 -> 10.99.0.1:22", "udp 10.99.0.2:40000 -> 10.99.0.1:53"],
  },
  {
    name: "a RETURN in a user chain",
    rules: filter(["-A INPUT -j g", "-A g -p tcp -j RETURN", "-A g -p tcp -m tcp --dport 22 -j DROP"], ["g"]),
    packets: ["tcp 10.99.0.2:40000 -> 10.99.0.1:22"],
  },
  {
    name: "a MARK between, the earlier rule testing the interface only",
    rules: filter(["-A INPUT -i eth0 -p udp -j DROP", "-A INPUT -j MARK --set-xmark 0x1/0xffffffff", "-A INPUT -i eth0 -p udp -m mark --mark 0x1 -j ACCEPT"]),
    packets: ["udp 10.99.0.2:40000 -> 10.99.0.1:53"],
  },
  { name: "after a catch-all", rules: filter(["-A INPUT -j ACCEPT", "-A INPUT -p tcp -j DROP"]), packets: ["tcp 10.99.0.2:40000 -> 10.99.0.1:22"] },
];

const ORIGIN: Origin = { in: "eth0" };

/** Whether the kernel counted the rule at `line` of the dump (its chain and position found from the dump). */
function counted(answer: KernelAnswer, finding: { chain: string; rule: number }): boolean {
  if (!answer.loaded) throw new Error(`not loaded: ${answer.message}`);
  return answer.rules.some((r) => r.table === "filter" && r.chain === finding.chain && r.rule === finding.rule);
}

/** The dump without the given lines. */
function without(text: string, lines: ReadonlySet<number>): string {
  return text
    .split("\n")
    .filter((_, i) => !lines.has(i + 1))
    .join("\n");
}

describe.skipIf(!available.ok)("lint's shadowed rules never count a packet in the kernel", () => {
  const lab = sharedLab(available);

  test.each(CASES)(
    "$name",
    async (c) => {
      const loaded = parseRuleset(c.rules, { file: "rules", family: "ipv4" });
      if (!loaded.ok) throw new Error("bad case");
      const never: LintFinding[] = lint(loaded.ruleset).findings.filter((f) => f.code === "NF101" || f.code === "NF102");
      expect(never.length, `${c.name}: lint finds no rule that never matches`).toBeGreaterThan(0);
      for (const f of never) {
        const rule = f.rule!;
        const takers = f.related.map((r) => ({ chain: r.chain, rule: r.rule }));
        for (const packet of c.packets) {
          const answer = await kernelAnswer(lab.topology, c.rules, packet, ORIGIN);
          const detail = `${c.name}: ${packet} ${JSON.stringify(answer)}`;
          expect(counted(answer, rule), `the shadowed rule counted: ${detail}`).toBe(false);
          expect(
            takers.some((t) => counted(answer, t)),
            `no rule lint named took it: ${detail}`,
          ).toBe(true);
          // Control: without the rules lint named, the packet meets the shadowed rule.
          const control = without(c.rules, new Set(f.related.map((r) => r.location.line)));
          const shifted = { chain: rule.chain, rule: rule.rule - f.related.filter((r) => r.chain === rule.chain).length };
          const alone = await kernelAnswer(lab.topology, control, packet, ORIGIN);
          expect(counted(alone, shifted), `the packet does not meet the rule even alone: ${c.name}: ${packet} ${JSON.stringify(alone)}`).toBe(true);
        }
      }
    },
    120_000,
  );
});
