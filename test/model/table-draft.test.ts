/**
 * What the loader records for validation as it adds rules: the jump graph must
 * be the graph found from the finished table by the names the rules jump to
 * (chainGraph), which validation's loop, hook and depth checks read; and the
 * chains it marks as holding rules that could be refused must be every chain
 * whose rules validation refuses when it looks at all of them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDumpSyntax } from "../../src/parse/parse-dump.js";
import { parseRule } from "../../src/ruleset/rule-parser.js";
import { TableDraft } from "../../src/ruleset/table-draft.js";
import { chainGraph, type ChainGraph } from "../../src/ruleset/chain-graph.js";
import { isTableName, BUILTIN_CHAINS, TABLE_NAMES } from "../../src/model/types.js";
import { validateTable } from "../../src/ruleset/validate.js";

/** Each table of a dump as the loader finishes it: its table and the graph it recorded. */
function finishedTables(text: string) {
  const done: NonNullable<ReturnType<TableDraft["finish"]>>[] = [];
  let draft: TableDraft | undefined;
  const report = () => {};
  parseDumpSyntax(text, "t.rules", ({ content }) => {
    if (content?.kind === "table" && content.name && isTableName(content.name.text)) draft = new TableDraft(content.name.text, 1, "t.rules", report);
    if (!draft) return;
    if (content?.kind === "chain") draft.declareChain(content.name, content.args, 1, 1);
    if (content?.kind === "rule") {
      const table = draft;
      const parsed = parseRule(content.words, { file: "t.rules", family: "ipv4", table: table.name, declaredChain: (name) => table.declaredChain(name), report });
      if (!("code" in parsed)) table.addRule(parsed, null);
    }
    if (content?.kind === "commit") {
      const finished = draft.finish();
      if (finished) done.push(finished);
      draft = undefined;
    }
  });
  return done;
}

const plain = (g: ChainGraph) => ({ chains: g.chains.map((c) => c.name), first: [...g.first], callee: [...g.callee], caller: g.caller.map((r) => [r.chain, r.number]) });

const dump = (...lines: string[]) => lines.join("\n") + "\n";

describe("the recorded jump graph", () => {
  test.each([
    ["calls in rule order, once per pair", dump("*filter", ":B - [0:0]", ":A - [0:0]", "-A INPUT -j B", "-A INPUT -j A", "-A INPUT -g B", "-A B -j A", "-A A -j B", "COMMIT")],
    ["a chain's rules apart", dump("*filter", ":B - [0:0]", ":A - [0:0]", "-A A -j B", "-A INPUT -j A", "-A A -s 1.1.1.1,2.2.2.2 -j INPUT", "-A B -j ACCEPT", "-A A -j A", "COMMIT")],
    ["-I before a call", dump("*filter", ":B - [0:0]", ":A - [0:0]", "-A INPUT -j B", "-I INPUT 1 -j A", "-A A -j B", "COMMIT")],
    ["a chain declared again", dump("*filter", ":A - [0:0]", ":B - [0:0]", "-A A -j B", "-A INPUT -j A", ":A - [0:0]", "-A A -j INPUT", "COMMIT")],
  ])("%s", (_name, text) => {
    const [finished] = finishedTables(text);
    expect(plain(finished!.graph)).toEqual(plain(chainGraph(finished!.table)));
    expect(finished!.graph.caller.length).toBeGreaterThan(1);
  });

  const shared = resolve(import.meta.dirname, "../../../shared/corpus/real");
  const dumps = existsSync(shared) ? readdirSync(shared).filter((name) => name.endsWith(".rules")) : [];
  if (dumps.length === 0) console.log(`recorded-graph corpus test skipped: ${shared} does not exist`);
  test.skipIf(dumps.length === 0)("is chainGraph's on every real dump", () => {
    let calls = 0;
    for (const name of dumps) {
      for (const finished of finishedTables(readFileSync(join(shared, name), "utf8"))) {
        expect(plain(finished.graph), name).toEqual(plain(chainGraph(finished.table)));
        calls += finished.graph.caller.length;
      }
    }
    expect(calls).toBeGreaterThan(500);
  });
});

describe("the chains validation looks at again", () => {
  // Rules that validation refuses somewhere: hook-limited targets and matches, -i/-o, targets of one table.
  const rules = [
    "-j DNAT --to-destination 10.0.0.1",
    "-j SNAT --to-source 10.0.0.1",
    "-j MASQUERADE",
    "-j REDIRECT",
    "-j TPROXY --on-port 1 --tproxy-mark 1",
    "-j REJECT",
    "-j CLASSIFY --set-class 1:1",
    "-p tcp -j TCPMSS --clamp-mss-to-pmtu",
    "-j DROP",
    "-m owner --uid-owner 0 -j ACCEPT",
    "-m physdev --physdev-out eth0 -j ACCEPT",
    "-m physdev --physdev-in eth0 -j ACCEPT",
    "-m mac --mac-source 00:11:22:33:44:55 -j ACCEPT",
    "-m rpfilter -j ACCEPT",
    "-m policy --dir out --pol none -j ACCEPT",
    "-m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT",
    "-m devgroup --dst-group 1 -j ACCEPT",
    "-i eth0 -j ACCEPT",
    "-o eth0 -j ACCEPT",
    "-j ACCEPT",
  ];
  // One rule at a time: in every built-in chain, in a chain reached from each hook, and in a chain no hook reaches;
  // the user chains declared in hook order, and sorted by name (the loader then finds their places without sorting).
  const cases = TABLE_NAMES.filter((t) => t !== "security").flatMap((table) => rules.map((rule) => [table, rule] as const));
  test.each(cases)("%s: %s", (table, rule) => {
    const hooks = BUILTIN_CHAINS[table];
    const declarations = [...hooks.map((h) => `:U${h} - [0:0]`), ":UNREACHED - [0:0]"];
    for (const declared of [declarations, declarations.toSorted()]) {
      const lines = [`*${table}`, ...declared];
      for (const hook of hooks) lines.push(`-A ${hook} -j U${hook}`);
      for (const chain of [...hooks, ...hooks.map((h) => `U${h}`), "UNREACHED"]) lines.push(`-A ${chain} ${rule}`);
      const [finished] = finishedTables(dump(...lines, "COMMIT"));
      const { table: t, graph, refusable } = finished!;
      const everything = new Uint8Array(t.chains.length).fill(255);
      expect(validateTable(t, graph, refusable, "t.rules")).toEqual(validateTable(t, graph, everything, "t.rules"));
    }
  });

  test("those cases have rules refused", () => {
    const refused = cases.filter(([table, rule]) => {
      const [finished] = finishedTables(dump(`*${table}`, ":X - [0:0]", `-A X ${rule}`, ...BUILTIN_CHAINS[table].map((h) => `-A ${h} -j X`), "COMMIT"));
      return validateTable(finished!.table, finished!.graph, new Uint8Array(finished!.table.chains.length).fill(255), "t.rules").length > 0;
    });
    expect(refused.length).toBeGreaterThan(40);
  });

  test("a chain whose rules nothing limits is not marked", () => {
    const [finished] = finishedTables(dump("*filter", ":X - [0:0]", "-A INPUT -j X", "-A X -p tcp --dport 22 -j ACCEPT", "-A OUTPUT -o eth0 -j DROP", "COMMIT"));
    expect([...finished!.refusable]).toEqual([0, 0, 0, 0]);
  });
});
