/**
 * The kernel as the reference for how a dump's lines build its tables: chains declared
 * again, rules of one chain split by another's, -I between appended rules. Each dump is
 * restored in a fresh namespace and saved back; nfwalk's fmt of the same dump must print
 * what iptables-save prints there (counters aside).
 */
import { describe, test } from "vitest";
import { formatRuleset, parseRuleset, renderDiagnostic } from "../../src/index.js";
import { diffSections } from "../kernel/compare.js";
import { kernelAvailable, saveSections, withNamespace } from "../kernel/netns.js";

const kernel = kernelAvailable();
if (!kernel.ok) console.log(`load-kernel: skipped: ${kernel.reason}`);

const dump = (...lines: string[]) => `${lines.join("\n")}\n`;

const CASES: readonly (readonly [string, string])[] = [
  ["a user chain declared again loses the rules given before", dump("*filter", ":X - [0:0]", "-A X -j ACCEPT", "-A INPUT -j X", ":X - [0:0]", "-A X -j DROP", "COMMIT")],
  ["a built-in chain declared again keeps its rules and takes the new policy", dump("*filter", ":INPUT DROP [0:0]", "-A INPUT -j ACCEPT", ":INPUT ACCEPT [0:0]", "-A INPUT -p tcp -j DROP", "COMMIT")],
  [
    "a chain's rules split by another chain's, with -I between them",
    dump(
      "*filter",
      ":A - [0:0]",
      ":B - [0:0]",
      "-A A -p tcp -j ACCEPT",
      "-A B -p udp -j DROP",
      "-A A -p udp -j ACCEPT",
      "-I A 2 -p icmp -j ACCEPT",
      "-A B -j A",
      "-I B -s 10.0.0.1 -j RETURN",
      "COMMIT",
    ),
  ],
  ["a user chain declared again after a jump to it", dump("*nat", ":X - [0:0]", "-A PREROUTING -j X", "-A X -p tcp -j RETURN", ":X - [0:0]", "-A X -p udp -j RETURN", "COMMIT")],
];

describe.skipIf(!kernel.ok)("loading builds the tables iptables-restore builds (kernel)", () => {
  test.concurrent.for(CASES)("%s", async ([, text], { expect }) => {
    const saved = await withNamespace(async (ns) => {
      const restored = await ns.restore(text, "ipv4");
      if (!restored.ok) throw new Error(`iptables-restore refuses the case: ${restored.message}`);
      return ns.save("ipv4");
    });
    const loaded = parseRuleset(text, { file: "case.rules", family: "ipv4" });
    if (!loaded.ok) throw new Error(`nfwalk refuses the case:\n${loaded.diagnostics.map((d) => renderDiagnostic(d)).join("\n")}`);
    expect(diffSections(saveSections(formatRuleset(loaded.ruleset)), saveSections(saved)).join("\n")).toBe("");
  });
});
