import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-j MARK", [
  ["-j MARK --set-xmark 0xfeedcafe/0xfeedcafe", "="],
  ["-j MARK --set-xmark 0x0", "-j MARK --set-xmark 0x0/0xffffffff"],
  ["-j MARK --set-xmark 4294967295", "-j MARK --set-xmark 0xffffffff/0xffffffff"],
  ["-j MARK --set-xmark 4294967296", { error: "bad-value" }],
  ["-j MARK --set-xmark -1", { error: "bad-value" }],
  ["-j MARK --set-mark 1", "-j MARK --set-xmark 0x1/0xffffffff"],
  ["-j MARK --set-mark 0x10/0x30", "-j MARK --set-xmark 0x10/0x30"],
  ["-j MARK --set-mark 0x4000/0x0", "-j MARK --set-xmark 0x4000/0x4000"],
  ["-j MARK --set-xmark 0x4000/0x0", "="],
  ["-j MARK --set-mark 010", "-j MARK --set-xmark 0x8/0xffffffff"],
  ["-j MARK --and-mark 0xff", "-j MARK --set-xmark 0x0/0xffffff00"],
  ["-j MARK --or-mark 0x4000", "-j MARK --set-xmark 0x4000/0x4000"],
  ["-j MARK --xor-mark 3", "-j MARK --set-xmark 0x3/0x0"],
  ["-j MARK --or-mark 1/2", { error: "bad-value" }],
  ["-j MARK --set-mark 1 --or-mark 2", { error: "conflicting-options" }],
  ["-j MARK --set-mark 1 --set-mark 2", { error: "duplicate-option" }],
  ["-j MARK", { error: "missing-option" }],
]);
ruleCases("-j MARK in nat", [["-j MARK --set-xmark 0x1/0xffffffff", "="]], { table: "nat", chain: "OUTPUT" });
ruleCases("-j MARK (IPv6)", [["-j MARK --set-xmark 0x2/0xffffffff", "="]], { table: "mangle", family: "ipv6" });

describe("-j MARK semantics (mark_tg: mark = (mark & ~mask) ^ value)", () => {
  const cases: [string, number, number][] = [
    ["--set-mark 0x10", 0xffff, 0x10],
    ["--set-xmark 0x10/0x30", 0xff, 0xdf],
    ["--set-mark 0x10/0x30", 0xff, 0xdf],
    ["--and-mark 0xf0", 0xff, 0xf0],
    ["--or-mark 0x100", 0xff, 0x1ff],
    ["--xor-mark 0x3", 0x1, 0x2],
    ["--set-xmark 0x80000000/0x0", 0x80000001, 0x1],
    ["--set-mark 0xffffffff", 0, 0xffffffff],
  ];
  test.each(cases)("%s on 0x%s", (args, before, after) => {
    const env = targetEnv({ meta: { mark: before } });
    const { meta, note } = afterContinue(applyRule(`-j MARK ${args}`, env), env);
    expect(meta.mark).toBe(after);
    expect(note).toBe(`MARK: mark 0x${before.toString(16)} → 0x${after.toString(16)}`);
  });
});
