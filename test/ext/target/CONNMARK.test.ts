import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CONNMARK",
  [
    ["-j CONNMARK --restore-mark", "-j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff"],
    ["-j CONNMARK --save-mark", "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff"],
    ["-j CONNMARK --save-mark --nfmask 0xfffffff --ctmask 0xffffffff", "="],
    ["-j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff", "="],
    ["-j CONNMARK --save-mark --mask 3", "-j CONNMARK --save-mark --nfmask 0x3 --ctmask 0x3"],
    ["-j CONNMARK --save-mark --mask 3 --ctmask 1", { error: "conflicting-options" }],
    ["-j CONNMARK --save-mark --restore-mark", { error: "conflicting-options" }],
    ["-j CONNMARK --save-mark --left-shift-mark 3", "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff --left-shift-mark 3"],
    ["-j CONNMARK --left-shift-mark 2 --right-shift-mark 3 --save-mark", "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff --right-shift-mark 3"],
    ["-j CONNMARK --restore-mark --right-shift-mark 33", { error: "bad-value" }],
    ["-j CONNMARK --set-xmark 0x1/0x1", "="],
    ["-j CONNMARK --set-mark 0xb00/0xff00", "-j CONNMARK --set-xmark 0xb00/0xff00"],
    ["-j CONNMARK --set-mark 1", "-j CONNMARK --set-xmark 0x1/0xffffffff"],
    ["-j CONNMARK --set-mark 1 --mask 3", "-j CONNMARK --set-xmark 0x1/0x3"],
    ["-j CONNMARK --mask 3 --set-mark 1", "-j CONNMARK --set-xmark 0x1/0xffffffff"],
    ["-j CONNMARK --set-mark 1 --ctmask 3", "-j CONNMARK --set-xmark 0x1/0x3"],
    ["-j CONNMARK --set-xmark 1/2 --nfmask 5", "-j CONNMARK --set-xmark 0x1/0x2"],
    ["-j CONNMARK --set-mark 1 --left-shift-mark 3", "-j CONNMARK --set-xmark 0x1/0xffffffff --left-shift-mark 3"],
    ["-j CONNMARK --and-mark 0xff", "-j CONNMARK --set-xmark 0x0/0xffffff00"],
    ["-j CONNMARK --or-mark 0x10", "-j CONNMARK --set-xmark 0x10/0x10"],
    ["-j CONNMARK --xor-mark 0x10", "-j CONNMARK --set-xmark 0x10/0x0"],
    ["-j CONNMARK", { error: "missing-option" }],
    ["-j CONNMARK --mask 3", { error: "missing-option" }],
  ],
  { table: "mangle" },
);
ruleCases("-j CONNMARK in filter", [["-j CONNMARK --set-xmark 0x1/0xffffffff", "="]], { chain: "FORWARD" });

describe("-j CONNMARK semantics (connmark_tg_shift)", () => {
  const cases: [string, { mark: number; connmark: number }, { mark: number; connmark: number }][] = [
    ["--set-mark 0x5", { mark: 0x1, connmark: 0xff00 }, { mark: 0x1, connmark: 0x5 }],
    ["--set-xmark 0x4/0xf", { mark: 0, connmark: 0xff }, { mark: 0, connmark: 0xf4 }],
    ["--set-xmark 0x1/0xff --left-shift-mark 8", { mark: 0, connmark: 0xffff }, { mark: 0, connmark: 0xff0100 }],
    ["--save-mark", { mark: 0x1234, connmark: 0xffff0000 }, { mark: 0x1234, connmark: 0x1234 }],
    ["--save-mark --nfmask 0xff --ctmask 0xff00", { mark: 0x1234, connmark: 0xffffffff }, { mark: 0x1234, connmark: 0xffff00cb }],
    ["--save-mark --mask 0xff00 --right-shift-mark 8", { mark: 0x1234, connmark: 0xffff }, { mark: 0x1234, connmark: 0xed }],
    ["--restore-mark", { mark: 0x1, connmark: 0x42 }, { mark: 0x42, connmark: 0x42 }],
    ["--restore-mark --nfmask 0xff --ctmask 0xf", { mark: 0xabcd, connmark: 0x1234 }, { mark: 0xab04, connmark: 0x1234 }],
    ["--restore-mark --ctmask 0xff00 --right-shift-mark 8", { mark: 0xffff0000, connmark: 0x1200 }, { mark: 0x12, connmark: 0x1200 }],
    ["--restore-mark --left-shift-mark 32", { mark: 0, connmark: 0x7 }, { mark: 0x7, connmark: 0x7 }],
  ];
  test.each(cases)("%s", (args, before, after) => {
    const env = targetEnv({ meta: before });
    const { meta } = afterContinue(applyRule(`-j CONNMARK ${args}`, env), env);
    expect({ mark: meta.mark, connmark: meta.connmark }).toEqual(after);
  });

  test("no connection, no change: raw table, INVALID and UNTRACKED packets", () => {
    const raw = targetEnv({ table: "raw", meta: { mark: 1 } });
    expect(applyRule("-j CONNMARK --save-mark", raw)).toEqual({ kind: "continue", note: "CONNMARK does nothing: the raw table runs before connection tracking, so the packet has no connection yet" });
    for (const state of ["INVALID", "UNTRACKED"] as const) {
      const env = targetEnv({ conntrack: { state, reply: false, status: 0, mark: 0, helper: undefined, zone: 0 }, meta: { mark: 1 } });
      const effect = applyRule("-j CONNMARK --save-mark", env);
      expect(effect).toEqual({ kind: "continue", note: `CONNMARK does nothing: the packet is ${state} and has no connection` });
    }
  });
});
