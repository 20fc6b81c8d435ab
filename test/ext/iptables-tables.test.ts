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

const REVERSED = "iptables 1.8.9 loads a reversed range (it matches nothing) and prints it as given; 1.8.10 began to refuse it";
const NEGATED_FULL = "iptables-nft 1.8.9 makes no comparison of a negated full range and prints none (1.8.10 keeps it)";
const MLD_NAMES = "ICMPv6 type names iptables 1.8.10 added; 1.8.9 does not know them";
const INLINE = "iptables 1.8.9 takes -p/-s/-d/-i/-o/-j given in one word as the whole word (1.8.10 splits it)";
const NO_SUCH_SET = {
  reason: "iptables refuses it only because set foo does not exist where the table runs; a dump does not say which sets exist",
  setup: [["ipset", "create", "foo", "hash:ip,port"]],
};

/** Makes the nfacct object "wrong" (nfnetlink_acct NFNL_MSG_ACCT_NEW): no nfacct tool needed. */
const NFACCT_ADD = [
  "python3",
  "-c",
  "import socket,struct;n=b'wrong\\0';a=struct.pack('HH',4+len(n),1)+n;a+=bytes(-len(a)%4);b=bytes(4)+a;" +
    "s=socket.socket(16,3,12);s.send(struct.pack('IHHII',16+len(b),7<<8,0x405,1,0)+b);assert struct.unpack('i',s.recv(99)[16:20])[0]==0",
];

/**
 * Lines whose expectation iptables 1.8.9 itself does not meet, by case key (file and rule,
 * so one list serves the tables of 1.8.9 and of later 1.8 releases).
 */
const EXCLUDED: ReadonlyMap<string, Exclusion> = new Map<string, Exclusion>([
  // 1.8.9's own tables
  [
    "libxt_NFLOG.t: -j NFLOG --nflog-prefix xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    { reason: "iptables-nft 1.8.9 keeps the whole prefix; the table expects the legacy cut to 64 characters" },
  ],
  [
    "libxt_recent.t: -m recent --rcheck --hitcount 999 --name foo --mask 255.255.255.255 --rsource",
    { reason: "the kernel accepts hit counts this large today (up to 65535); the table's FAIL is from the old limit" },
  ],
  [
    "libxt_nfacct.t: -m nfacct --nfacct-name wrong",
    { reason: 'iptables refuses it only because no accounting object "wrong" exists where the table runs; a dump does not say which objects exist', setup: [NFACCT_ADD] },
  ],
  ["libxt_set.t: -m set --match-set foo src,dst", NO_SUCH_SET],
  ["libxt_SET.t: -j SET --add-set foo src,dst", NO_SUCH_SET],
  // later 1.8 tables
  ...[
    "libip6t_ah.t: -m ah --ahspi 4:3",
    "libipt_ah.t: -p ah -m ah --ahspi 4:3",
    "libip6t_frag.t: -m frag --fragid 4:3",
    "libip6t_rt.t: -m rt --rt-segsleft 4:3",
    "libxt_conntrack.t: -m conntrack --ctexpire 4:3",
    "libxt_conntrack.t: -m conntrack --ctorigsrcport 4:3",
    "libxt_conntrack.t: -m conntrack --ctreplsrcport 4:3",
    "libxt_conntrack.t: -m conntrack --ctorigdstport 4:3",
    "libxt_conntrack.t: -m conntrack --ctrepldstport 4:3",
    "libxt_dccp.t: -p dccp -m dccp --sport 4:3",
    "libxt_dccp.t: -p dccp -m dccp --dport 4:3",
    "libxt_esp.t: -p esp -m esp --espspi 4:3",
    "libxt_ipcomp.t: -p ipcomp -m ipcomp --ipcompspi 4:3",
    "libxt_length.t: -m length --length 4:3",
    "libxt_udp.t: -p udp -m udp --sport 4:3",
    "libxt_udp.t: -p udp -m udp --dport 4:3",
  ].map((key): [string, Exclusion] => [key, { reason: REVERSED }]),
  ...[
    "libip6t_ah.t: -m ah ! --ahspi :",
    "libipt_ah.t: -p ah -m ah ! --ahspi :",
    "libip6t_frag.t: -m frag ! --fragid :",
    "libip6t_mh.t: -p mobility-header -m mh ! --mh-type :",
    "libip6t_rt.t: -m rt ! --rt-segsleft :",
    "libxt_esp.t: -p esp -m esp ! --espspi :",
    "libxt_ipcomp.t: -p ipcomp -m ipcomp ! --ipcompspi :",
    "libxt_tcp.t: -p tcp -m tcp ! --sport :",
    "libxt_tcp.t: -p tcp -m tcp ! --dport :",
    "libxt_udp.t: -p udp -m udp ! --sport :",
    "libxt_udp.t: -p udp -m udp ! --dport :",
  ].map((key): [string, Exclusion] => [key, { reason: NEGATED_FULL }]),
  ...["query", "report", "done", "reduction"].map((name): [string, Exclusion] => [`libip6t_icmp6.t: -p ipv6-icmp -m icmp6 --icmpv6-type mld-listener-${name}`, { reason: MLD_NAMES }]),
  ["libipt_icmp.t: -p icmp -m icmp --icmp-type 255/255", { reason: 'iptables 1.8.9 prints type 255 with code range 0-255 as "any"' }],
  ["libxt_conntrack.t: -m conntrack --ctproto 0", { reason: "iptables 1.8.9 loads --ctproto 0 (1.8.10 refuses it)" }],
  ["libxt_conntrack.t: -m conntrack ! --ctproto 0", { reason: "iptables 1.8.9 loads --ctproto 0 (1.8.10 refuses it)" }],
  ["libxt_NFQUEUE.t: -j NFQUEUE --queue-balance :", { reason: "iptables 1.8.9 reads it as 0:65535, 65536 queues, which the kernel refuses (1.8.10 stops at 65534)" }],
  ["libxt_NFQUEUE.t: -j NFQUEUE --queue-balance 4:", { reason: "iptables 1.8.9 reads an open end as 65535 (1.8.10 as 65534)" }],
  ["libipt_standard.t: --protocol=tcp --source=1.2.3.4 --destination=5.6.7.8/32 --in-interface=eth0 --out-interface=eth1 --jump=ACCEPT", { reason: INLINE }],
  ["libipt_standard.t: -ptcp -s1.2.3.4 -d5.6.7.8/32 -ieth0 -oeth1 -jACCEPT", { reason: INLINE }],
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
const included = cases.filter((c) => !EXCLUDED.has(c.key));
const excluded = cases.filter((c) => EXCLUDED.has(c.key));

describe.skipIf(!source.ok)("iptables' .t tables through nfwalk fmt", () => {
  let agreed = 0;
  afterAll(() => console.log(`iptables .t tables in ${source.ok ? source.dir : ""}: ${agreed} of ${cases.length} lines agree, ${excluded.length} excluded`));

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
      }
    });
  }
});
