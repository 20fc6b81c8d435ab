/**
 * The kernel runs each hook's tables and conntrack in the order nfwalk's netfilter flow
 * draws them and its engine walks them (src/model/hook-order.ts: by priority, with
 * iptables-nft's security table at 150, after nat at INPUT).
 * A relay of marks proves it: the flow's n-th table on a packet's way matches mark n and
 * sets n+1, so a rule counts only when every table before it in the flow's order ran
 * before it; tables before the first conntrack stage see no entry (INVALID), those after
 * it see the new connection (NEW). Every relay rule moving its counter once is the
 * kernel's order; nfwalk's trace must count the same rules.
 */
import { describe, expect, test } from "vitest";
import { BUILTIN_CHAINS, netfilterFlow, TABLE_NAMES, type Hook, type HookStage, type TableName } from "../../src/index.js";
import { compare, sharedLab, type Case } from "./agreement.js";
import { conformanceAvailable } from "./available.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`hook-order conformance skipped: ${available.reason}`);

interface Relay {
  readonly rules: string;
  /** The relay's rules as (table, chain): each should count once. */
  readonly expected: readonly string[];
}

/**
 * The relay along `hooks` in the flow's order. `passes` leaves out stages the packet does
 * not run: a packet looped back through lo meets no nat chain again (its connection's NAT
 * is already set up for both directions).
 */
function relay(hooks: readonly Hook[], passes: (hook: Hook, stage: HookStage) => boolean = () => true): Relay {
  const flow = netfilterFlow("ipv4");
  const chains = new Map<TableName, string[]>(TABLE_NAMES.map((t) => [t, []]));
  const expected: string[] = [];
  let mark = 0;
  let tracked = false;
  for (const hook of hooks) {
    for (const { stage } of flow.hooks.find((h) => h.hook === hook)!.stages) {
      if (!passes(hook, stage)) continue;
      if (stage === "conntrack") {
        tracked = true;
        continue;
      }
      chains.get(stage)!.push(`-A ${hook} -m mark --mark 0x${mark.toString(16)} -m conntrack --ctstate ${tracked ? "NEW" : "INVALID"} -j MARK --set-xmark 0x${(mark + 1).toString(16)}/0xffffffff`);
      expected.push(`${stage} ${hook}`);
      mark++;
    }
  }
  const rules = TABLE_NAMES.map((table) => [`*${table}`, ...BUILTIN_CHAINS[table].map((c) => `:${c} ACCEPT [0:0]`), ...chains.get(table)!, "COMMIT"].join("\n")).join("\n") + "\n";
  return { rules, expected };
}

const loopedPastNat = (hook: Hook, stage: HookStage) => !(stage === "nat" && (hook === "PREROUTING" || hook === "INPUT"));

const CASES: readonly (Omit<Case, "rules"> & { readonly name: string; readonly relay: Relay })[] = [
  { name: "delivered: PREROUTING then INPUT", packet: "tcp 10.99.0.2:40000 -> 10.99.0.1:22", origin: { in: "eth0" }, relay: relay(["PREROUTING", "INPUT"]) },
  { name: "forwarded: PREROUTING, FORWARD, POSTROUTING", packet: "tcp 10.99.0.2:40000 -> 172.17.0.2:80", origin: { in: "eth0" }, relay: relay(["PREROUTING", "FORWARD", "POSTROUTING"]) },
  { name: "sent: OUTPUT then POSTROUTING", packet: "tcp 10.99.0.1:40000 -> 10.99.1.10:443", origin: { local: true }, relay: relay(["OUTPUT", "POSTROUTING"]) },
  {
    name: "sent to this host: OUTPUT, POSTROUTING, then back in through lo to PREROUTING and INPUT",
    packet: "tcp 10.99.0.1:40000 -> 10.99.0.1:22",
    origin: { local: true },
    relay: relay(["OUTPUT", "POSTROUTING", "PREROUTING", "INPUT"], loopedPastNat),
  },
];

describe.skipIf(!available.ok)("the tables of each hook run in the flow's order (kernel)", () => {
  const lab = sharedLab(available);

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const verdict = await compare(lab.topology, lab.host, { ...c, rules: c.relay.rules });
    if (!verdict.kernel.loaded) throw new Error(`the kernel refused the relay: ${verdict.kernel.message}`);
    // The kernel passed the packet along the whole relay: each rule matched once, in the flow's order.
    const counted = verdict.kernel.rules.map((r) => `${r.table} ${r.chain} #${r.rule} ${r.packets}`).sort();
    expect(counted).toEqual(c.relay.expected.map((rule) => `${rule} #1 1`).sort());
    expect(verdict.differences, JSON.stringify(verdict.kernel)).toEqual([]);
  });
});
