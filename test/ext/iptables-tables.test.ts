/**
 * iptables' own extension test tables, run through `nfwalk fmt` (see
 * test/helpers/iptables-tables.ts for where they come from and their format): every rule
 * iptables refuses, nfwalk must refuse with a positioned error (exit 2); every rule it
 * loads, nfwalk must load and print exactly as iptables-save does.
 *
 * A line where the table is wrong for the iptables installed here (1.8.9, nf_tables) is
 * listed in EXCLUDED with the reason; the kernel test below loads each of them with
 * iptables-restore in a namespace and checks that nfwalk does what iptables does.
 */
import { afterAll, describe, expect, test } from "vitest";
import { allTableCases, caseDump, tablesDirectory, type TableCase } from "../helpers/iptables-tables.js";
import { runCli } from "../helpers/memory-io.js";
import { kernelAvailable, mustExec, withNamespace } from "../kernel/netns.js";

interface Exclusion {
  /** Why the line's expectation is not what iptables 1.8.9 (nf_tables) does. */
  readonly reason: string;
  /** Commands run in the namespace before the rule is loaded, as the table's `@`/`%` lines do. */
  readonly setup?: readonly (readonly string[])[];
}

/**
 * Lines whose expectation iptables 1.8.9 itself does not meet, by case key (file and rule,
 * so one list serves the tables of every 1.8.x release).
 */
const EXCLUDED: ReadonlyMap<string, Exclusion> = new Map([]);

/**
 * Lines nfwalk does not agree with yet (issue 10): each must still disagree, so a fix
 * shows up as a failure here until its line is taken off this list.
 */
const NOT_YET: ReadonlySet<string> = new Set([
  "libip6t_DNPT.t: -j DNPT --src-pfx dead::beef --dst-pfx 1c3::/64",
  "libip6t_DNPT.t: -j DNPT --src-pfx dead::/64",
  "libip6t_DNPT.t: -j DNPT --dst-pfx dead::/64",
  "libip6t_DNPT.t: -j DNPT",
  "libip6t_SNPT.t: -j SNPT --src-pfx dead::beef --dst-pfx 1c3::/64",
  "libip6t_SNPT.t: -j SNPT --src-pfx dead::/64",
  "libip6t_SNPT.t: -j SNPT --dst-pfx dead::/64",
  "libip6t_SNPT.t: -j SNPT",
  "libipt_CLUSTERIP.t: -d 10.31.3.236/32 -i lo -j CLUSTERIP --new --hashmode sourceip --clustermac 01:AA:7B:47:F7:D7 --total-nodes 2 --local-node 0 --hash-init 1",
  "libipt_CLUSTERIP.t: -d 10.31.3.236/32 -i lo -j CLUSTERIP --new --hashmode sourceip --clustermac 01:AA:7B:47:F7:D7 --total-nodes 2 --local-node 1 --hash-init 1",
  "libipt_CLUSTERIP.t: -d 10.31.3.236/32 -i lo -j CLUSTERIP --new --hashmode sourceip --clustermac 01:AA:7B:47:F7:D7 --total-nodes 2 --local-node 2 --hash-init 1",
  "libxt_HMARK.t: -j HMARK",
  "libxt_HMARK.t: -j HMARK --hmark-src-prefix 32 --hmark-dst-prefix 32 --hmark-sport-mask 0xffff --hmark-dport-mask 0xffff --hmark-proto-mask 0xffff --hmark-rnd 0x00000004 --hmark-mod 42 --hmark-offset 1 --hmark-tuple ct --hmark-spi-mask 4",
  "libxt_LED.t: -j LED",
  'libxt_LED.t: -j LED --led-trigger-id "foo"',
  'libxt_LED.t: -j LED --led-trigger-id "foo" --led-delay 42 --led-always-blink',
  "libxt_NFLOG.t: -j NFLOG --nflog-prefix xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "libxt_SET.t: -j SET --add-set foo src,dst",
  "libxt_cluster.t: -m cluster",
  "libxt_cluster.t: -m cluster --cluster-total-nodes 3",
  "libxt_cluster.t: -m cluster --cluster-total-nodes 2 --cluster-local-node 2",
  "libxt_cluster.t: -m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed",
  "libxt_cluster.t: -m cluster --cluster-total-nodes 2 --cluster-local-node 2 --cluster-hash-seed 0xfeedcafe",
  "libxt_ipvs.t: -m ipvs --vproto tcp",
  "libxt_ipvs.t: -m ipvs ! --vproto TCP",
  "libxt_ipvs.t: -m ipvs ! --vaddr 1.2.3.4/255.255.255.0",
  "libxt_ipvs.t: -m ipvs --vport http",
  "libxt_ipvs.t: -m ipvs ! --vport ssh",
  "libxt_nfacct.t: -m nfacct --nfacct-name wrong",
  "libxt_osf.t: -m osf --genre linux --ttl 0 --log 0",
  "libxt_osf.t: -p tcp -m osf --genre linux --ttl 3 --log 0",
  "libxt_rateest.t: -m rateest --rateest RE1 --rateest-gt --rateest-bps 5kbit",
  "libxt_recent.t: -m recent --rcheck --hitcount 999 --name foo --mask 255.255.255.255 --rsource",
  "libxt_set.t: -m set --match-set foo src,dst",
]);

/** What nfwalk made of one rule in one chain. */
type Outcome = { readonly loaded: true; readonly saved: string } | { readonly loaded: false; readonly positioned: boolean; readonly message: string };

async function nfwalkOutcome(c: TableCase, chain: string): Promise<Outcome> {
  const file = "case.rules";
  const r = await runCli(["fmt", "--no-counters", c.family === "ipv6" ? "-6" : "-4", file], { [file]: caseDump(c, chain) });
  if (r.code === 0) return { loaded: true, saved: savedRule(r.stdout, chain) };
  if (r.code !== 2) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return { loaded: false, positioned: new RegExp(`^${file}:3:\\d+: error: `, "m").test(r.stderr) && r.stdout === "", message: r.stderr.split("\n")[0]! };
}

/** The rule of a one-rule dump as iptables-save prints it, without `-A CHAIN `. */
function savedRule(text: string, chain: string): string {
  const rules = text.split("\n").filter((line) => line.startsWith("-A "));
  if (rules.length !== 1 || !rules[0]!.startsWith(`-A ${chain} `)) throw new Error(`not one rule in ${chain}:\n${text}`);
  return rules[0]!.slice(`-A ${chain} `.length);
}

/** Whether an outcome is what the table expects; the text says how it differs. */
function verdict(c: TableCase, outcome: Outcome): { readonly agrees: boolean; readonly text: string } {
  const got = outcome.loaded ? `printed: ${outcome.saved}` : `refused: ${outcome.message}`;
  switch (c.expected.kind) {
    case "fail":
      return { agrees: !outcome.loaded && outcome.positioned, text: `iptables refuses it; nfwalk ${got}` };
    case "loads":
      return { agrees: outcome.loaded, text: `iptables loads it; nfwalk ${got}` };
    case "ok":
      return { agrees: outcome.loaded && outcome.saved === c.expected.saved, text: `iptables prints: ${c.expected.saved}\nnfwalk ${got}` };
    case "nomatch":
      return { agrees: outcome.loaded && outcome.saved !== c.expected.saved, text: `iptables loads it and prints other than: ${c.expected.saved}\nnfwalk ${got}` };
  }
}

/** The first chain where nfwalk disagrees with the table, or undefined. */
async function disagreement(c: TableCase): Promise<string | undefined> {
  for (const chain of c.chains) {
    const { agrees, text } = verdict(c, await nfwalkOutcome(c, chain));
    if (!agrees) return `${c.id} in ${c.table} ${chain}: -A ${chain} ${c.rule}\n${text}`;
  }
  return undefined;
}

const source = tablesDirectory();
if (!source.ok) console.log(`iptables .t tables skipped: ${source.reason}`);
const cases = source.ok ? allTableCases(source.dir) : [];
const included = cases.filter((c) => !EXCLUDED.has(c.key) && !NOT_YET.has(c.key));
const excluded = cases.filter((c) => EXCLUDED.has(c.key));
const notYet = cases.filter((c) => NOT_YET.has(c.key));

describe.skipIf(!source.ok)("iptables' .t tables through nfwalk fmt", () => {
  let agreed = 0;
  afterAll(() => console.log(`iptables .t tables in ${source.ok ? source.dir : ""}: ${agreed} of ${cases.length} lines agree, ${excluded.length} excluded, ${notYet.length} not yet`));

  test("the tables are there", () => {
    expect(cases.length).toBeGreaterThan(800);
  });

  // A plain loop: test.each would shorten the names, which hold the whole rule.
  for (const c of included) {
    test(`${c.id} ${c.rule}`, async () => {
      const wrong = await disagreement(c);
      expect(wrong, wrong).toBeUndefined();
      agreed++;
    });
  }

  for (const c of notYet) {
    test(`not yet: ${c.id} ${c.rule}`, async () => {
      expect(await disagreement(c), "nfwalk agrees now: take the line off NOT_YET").toBeDefined();
    });
  }
});

const kernel = kernelAvailable();
if (source.ok && excluded.length > 0 && !kernel.ok) console.log(`iptables .t exclusions: kernel check skipped: ${kernel.reason}`);

describe.skipIf(!source.ok || excluded.length === 0 || !kernel.ok)("excluded .t lines: nfwalk does what iptables-restore does here", () => {
  for (const c of excluded) {
    test(`${c.id} ${c.rule} (${EXCLUDED.get(c.key)!.reason})`, async () => {
      for (const chain of c.chains) {
        const ours = await nfwalkOutcome(c, chain);
        const theirs = await withNamespace(async (ns) => {
          for (const cmd of EXCLUDED.get(c.key)!.setup ?? []) await mustExec(ns, cmd);
          const restored = await ns.restore(caseDump(c, chain), c.family);
          return restored.ok ? { loaded: true, saved: savedRule(await ns.save(c.family), chain) } : { loaded: false };
        });
        expect(ours.loaded ? { loaded: true, saved: ours.saved } : { loaded: false }, `${c.id} in ${chain}`).toEqual(theirs);
        // Still excluded for a reason: nfwalk disagrees with the table, not with iptables.
        expect(verdict(c, ours).agrees).toBe(false);
      }
    });
  }
});
