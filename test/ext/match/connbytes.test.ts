import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m connbytes", [
  ["-m connbytes --connbytes 10: --connbytes-dir both --connbytes-mode bytes", "-m connbytes --connbytes 10 --connbytes-mode bytes --connbytes-dir both"],
  ["-m connbytes ! --connbytes 10:20 --connbytes-dir original --connbytes-mode packets", "-m connbytes ! --connbytes 10:20 --connbytes-mode packets --connbytes-dir original"],
  ["-m connbytes --connbytes :20 --connbytes-dir reply --connbytes-mode avgpkt", "-m connbytes --connbytes 0:20 --connbytes-mode avgpkt --connbytes-dir reply"],
  ["-m connbytes --connbytes 10 --connbytes-dir both --connbytes-mode bytes", "-m connbytes --connbytes 10 --connbytes-mode bytes --connbytes-dir both"],
  ["-m connbytes --connbytes 5:5 --connbytes-dir both --connbytes-mode bytes", "-m connbytes --connbytes 5:5 --connbytes-mode bytes --connbytes-dir both"],
  ["-m connbytes --connbytes 20:10 --connbytes-dir both --connbytes-mode bytes", { error: "bad-value" }],
  ["-m connbytes --connbytes 1", { error: "missing-option" }],
]);

describe("-m connbytes semantics (connbytes_mt)", () => {
  const first = matchEnvB({ packet: "tcp 10.0.0.2:1 -> 10.0.0.1:2 [length 60]" });
  const m = (args: string, env = first) => ruleMatch(`-m connbytes ${args}`, env);
  test("the first packet of a connection: its own counters", () => {
    expect(m("--connbytes 1:1 --connbytes-dir original --connbytes-mode packets")).toBe(true);
    expect(m("--connbytes 60 --connbytes-dir both --connbytes-mode bytes")).toBe(true);
    expect(m("--connbytes 61 --connbytes-dir both --connbytes-mode bytes")).toBe(false);
    expect(m("--connbytes 1 --connbytes-dir reply --connbytes-mode packets")).toBe(false);
    expect(m("--connbytes 0:59 --connbytes-dir original --connbytes-mode avgpkt")).toBe(false);
    expect(m("! --connbytes 0:59 --connbytes-dir original --connbytes-mode avgpkt")).toBe(true);
  });
  test("no connection: no match; a known connection: unknown", () => {
    expect(m("! --connbytes 5 --connbytes-dir both --connbytes-mode bytes", matchEnvB({ conntrack: { state: "INVALID", reply: false, status: 0, mark: 0, helper: undefined, zone: 0 } }))).toBe(false);
    expect(m("--connbytes 5 --connbytes-dir both --connbytes-mode bytes", matchEnvB({ conntrack: { state: "ESTABLISHED", reply: true, status: 0, mark: 0, helper: undefined, zone: 0 } }))).toEqual({
      unknown: expect.any(String),
    });
  });
});
