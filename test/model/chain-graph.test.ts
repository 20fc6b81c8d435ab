/**
 * The jump graph the loader records as it adds rules must be the graph found
 * from the finished table by the names the rules jump to (chainGraph), which
 * is what validation's loop, hook and depth checks read.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDumpSyntax } from "../../src/parse/parse-dump.js";
import { parseRule } from "../../src/ruleset/rule-parser.js";
import { TableDraft } from "../../src/ruleset/table-draft.js";
import { chainGraph, type ChainGraph } from "../../src/ruleset/chain-graph.js";
import { isTableName } from "../../src/model/types.js";

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
      const parsed = parseRule(content.args, { file: "t.rules", family: "ipv4", table: table.name, declaredChain: (name) => table.declaredChain(name), report });
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
