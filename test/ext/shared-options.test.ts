/**
 * Options many rules have alike are one frozen object shared by those rules (the model is
 * read-only): a kube-proxy dump repeats a few hundred ports and probabilities on 100k+ rules.
 */
import { expect, test } from "vitest";
import { parseRuleset, type Rule } from "../../src/index.js";

function rulesOf(...lines: string[]): Rule[] {
  const loaded = parseRuleset(["*nat", ":PREROUTING ACCEPT [0:0]", ...lines.map((l) => `-A PREROUTING ${l}`), "COMMIT", ""].join("\n"));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.ruleset.tables[0]!.chains.find((c) => c.name === "PREROUTING")!.rules as Rule[];
}

const optionsOf = (rule: Rule, name: string) => rule.matches.find((m) => m.extension.name === name)!.options as { readonly dport?: unknown };
const targetOptions = (rule: Rule) => (rule.action?.kind === "target" ? (rule.action.target.options as { ports?: unknown }) : undefined);

test("tcp and udp: one options object for each single destination port and polarity, and for no option at all", () => {
  const [a, b, notA, range, rangeAgain, bare, bareAgain] = rulesOf(
    "-p tcp -m tcp --dport 80",
    "-p tcp --dport 80 -j ACCEPT",
    "-p tcp -m tcp ! --dport 80",
    "-p tcp -m tcp --dport 80:90",
    "-p tcp -m tcp --dport 80:90",
    "-p tcp -m tcp",
    "-p tcp -m tcp",
  );
  expect(optionsOf(a!, "tcp")).toBe(optionsOf(b!, "tcp"));
  expect(Object.isFrozen(optionsOf(a!, "tcp"))).toBe(true);
  expect(optionsOf(notA!, "tcp")).not.toBe(optionsOf(a!, "tcp"));
  expect(optionsOf(notA!, "tcp")).toEqual({ sport: undefined, dport: { range: { min: 80, max: 80 }, negated: true }, flags: undefined, option: undefined });
  // Ranges are not shared, but read the same.
  expect(optionsOf(range!, "tcp")).not.toBe(optionsOf(rangeAgain!, "tcp"));
  expect(optionsOf(range!, "tcp")).toEqual(optionsOf(rangeAgain!, "tcp"));
  expect(optionsOf(bare!, "tcp")).toBe(optionsOf(bareAgain!, "tcp"));

  const [u1, u2, withSource] = rulesOf("-p udp -m udp --dport 53", "-p udp -m udp --dport 53", "-p udp -m udp --sport 5 --dport 53");
  expect(optionsOf(u1!, "udp")).toBe(optionsOf(u2!, "udp"));
  expect(optionsOf(withSource!, "udp")).toEqual({ sport: { range: { min: 5, max: 5 }, negated: false }, dport: optionsOf(u1!, "udp").dport });
});

test("DNAT: rules mapping to one port share the port range; statistic: rules with the same odds share their options", () => {
  const [a, b] = rulesOf(
    "-p tcp -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.0.0.1:8080",
    "-p tcp -m statistic --mode random --probability 0.50000 -j DNAT --to-destination 10.0.0.2:8080",
  );
  expect(targetOptions(a!)).not.toBe(targetOptions(b!));
  expect(targetOptions(a!)?.ports).toBe(targetOptions(b!)?.ports);
  expect(targetOptions(a!)?.ports).toEqual({ min: 8080, max: 8080 });
  expect(optionsOf(a!, "statistic")).toBe(optionsOf(b!, "statistic"));
  expect(Object.isFrozen(optionsOf(a!, "statistic"))).toBe(true);
});

test("comment: a rule saying what the rule before it said shares its options", () => {
  const [a, b, c] = rulesOf('-m comment --comment "ns/web:http" -j ACCEPT', '-m comment --comment "ns/web:http" -j ACCEPT', '-m comment --comment "ns/db" -j ACCEPT');
  expect(optionsOf(a!, "comment")).toBe(optionsOf(b!, "comment"));
  expect(optionsOf(c!, "comment")).toEqual({ text: "ns/db" });
});
