/**
 * Each extension's `explain`: the parts `why` reports as conditions of their own (each
 * printable and evaluated by the extension's own `match`, holding together exactly when the
 * whole match holds), and what the packet has, in words.
 */
import { describe, expect, test } from "vitest";
import { formatRule, parseRuleset, type Rule } from "../../../src/index.js";
import { isUnknown } from "../../../src/ext/semantics.js";
import type { MatchUse } from "../../../src/ruleset/types.js";
import { envOf } from "../../helpers/match-env.js";

function ruleOf(args: string): Rule {
  const loaded = parseRuleset(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${args}\nCOMMIT\n`, { file: "case", family: "ipv4" });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("; "));
  return loaded.ruleset.tablesByName.get("filter")!.chainsByName.get("INPUT")!.rules[0]!;
}

const partsOf = (use: MatchUse): readonly unknown[] => use.extension.explain?.parts?.(use.options) ?? [use.options];
const textOf = (rule: Rule, use: MatchUse, options: unknown) => formatRule({ ...rule, header: {}, matches: [{ ...use, options }], action: null }, "ipv4").slice("-A INPUT ".length);

describe("parts: each option that holds or fails alone, printable as iptables-save prints it", () => {
  const cases: [string, string[]][] = [
    ["-p tcp -m tcp --sport 1000 --dport 80 --tcp-flags SYN,ACK SYN", ["-m tcp --sport 1000", "-m tcp --dport 80", "-m tcp --tcp-flags SYN,ACK SYN"]],
    ["-p udp -m udp --sport 53 --dport 1024:65535", ["-m udp --sport 53", "-m udp --dport 1024:65535"]],
    [
      "-m conntrack --ctstate NEW --ctorigdst 10.0.0.1 --ctorigdstport 8080 --ctdir ORIGINAL",
      ["-m conntrack --ctstate NEW", "-m conntrack --ctdir ORIGINAL", "-m conntrack --ctorigdst 10.0.0.1", "-m conntrack --ctorigdstport 8080"],
    ],
    ["-m addrtype --src-type LOCAL --dst-type UNICAST --limit-iface-in", ["-m addrtype --src-type LOCAL --limit-iface-in", "-m addrtype --dst-type UNICAST --limit-iface-in"]],
  ];
  test.each(cases)("%s", (args, expected) => {
    const rule = ruleOf(args);
    const use = rule.matches[0]!;
    expect(partsOf(use).map((part) => textOf(rule, use, part))).toEqual(expected);
  });

  const packets = [
    "tcp 10.0.0.2:1000 -> 10.0.0.1:80 [flags SYN]",
    "tcp 10.0.0.2:1000 -> 10.0.0.1:80 [flags SYN,ACK]",
    "tcp 10.0.0.2:999 -> 10.0.0.1:80",
    "udp 10.0.0.2:53 -> 10.0.0.1:2000",
    "udp 10.0.0.2:53 -> 10.0.0.1:53",
  ];
  test.each(cases.map(([args]) => args))("the parts all hold exactly when %s holds", (args) => {
    const use = ruleOf(args).matches[0]!;
    const match = use.extension.match!;
    for (const packet of packets) {
      const env = envOf(packet, { in: "eth0", addressTypes: { "10.0.0.1": "LOCAL" } });
      const whole = match(use.options, env);
      const parts = partsOf(use).map((part) => match(part, env));
      if (isUnknown(whole) || parts.some(isUnknown)) continue;
      expect(
        parts.every((r) => r === true),
        packet,
      ).toBe(whole);
    }
  });
});

describe("packetHas: what the packet has that the part tests", () => {
  const cases: [string, string, string | undefined][] = [
    ["-p tcp -m tcp --dport 80", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "its destination port is 22 here"],
    ["-p tcp -m tcp --sport 80", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "its source port is 40000"],
    ["-p tcp -m tcp --tcp-flags SYN,ACK SYN", "tcp 10.0.0.2:40000 -> 10.0.0.1:22 [flags SYN,ACK]", "its TCP flags are SYN,ACK"],
    ["-p tcp -m multiport --dports 80,443", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "its destination port is 22 here"],
    ["-p udp -m udp --dport 53", "udp 10.0.0.2:40000 -> 10.0.0.1:54", "its destination port is 54 here"],
    ["-m state --state ESTABLISHED", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "its connection state is NEW"],
    ["-m conntrack --ctdir REPLY", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "it travels in the original direction"],
    ["-m conntrack --ctorigdstport 8080", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "its connection began as 10.0.0.2:40000 -> 10.0.0.1:22"],
    ["-m addrtype --dst-type LOCAL", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", "its destination 10.0.0.1 is of type LOCAL"],
    // Without the ipset's contents there is nothing to say.
    ["-m set --match-set admins src", "tcp 10.0.0.2:40000 -> 10.0.0.1:22", undefined],
  ];
  test.each(cases)("%s, %s", (args, packet, words) => {
    const use = ruleOf(args).matches.at(-1)!;
    expect(use.extension.explain?.packetHas(use.options, envOf(packet, { addressTypes: { "10.0.0.1": "LOCAL" } }))).toBe(words);
  });
});
