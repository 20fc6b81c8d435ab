import { describe, expect, test } from "vitest";
import { afterContinue, applyRule, targetEnv } from "../../helpers/target-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CT",
  [
    ["-j CT", "="],
    ["-j CT --notrack", "="],
    ["-j CT --notrack --zone 1", "="],
    ["-j CT --zone 65535", "="],
    ["-j CT --zone 65536", { error: "bad-value" }],
    ["-j CT --zone -1", { error: "bad-value" }],
    ["-j CT --zone 0", "-j CT"],
    ["-j CT --zone 0x10", "-j CT --zone 16"],
    ["-j CT --zone mark", "="],
    ["-j CT --zone-orig 5", "="],
    ["-j CT --zone-reply mark", "="],
    ["-j CT --zone 3 --zone-orig 4", "-j CT --zone-orig 4"],
    ["-j CT --zone-orig 4 --zone-reply 5", "-j CT --zone 5"],
    ["-j CT --zone-orig mark --zone 5", "-j CT --zone-orig mark"],
    ["-j CT --ctevents new,related,destroy,reply,assured,protoinfo,helper,mark", "="],
    ["-j CT --ctevents natseqinfo,secmark,related", "-j CT --ctevents related,natseqinfo,secmark"],
    ["-j CT --ctevents bogus", { error: "bad-value" }],
    ["-j CT --expevents new", "="],
    ["-j CT --expevents related", { error: "bad-value" }],
    ["-p tcp -j CT --helper ftp", "="],
    ["-p udp -j CT --helper tftp", "="],
    ["-j CT --notrack --helper ftp", "="],
    ["-j CT --helper ftp", { error: "missing-protocol" }],
    ['-j CT --helper ""', "-j CT"],
    ["-j CT --zone 1 --notrack", "-j CT --notrack --zone 1"],
  ],
  { table: "raw" },
);
ruleCases("-j CT in OUTPUT", [["-j CT --zone 2", "="]], { table: "raw", chain: "OUTPUT" });
ruleCases("-j CT outside raw", [["-j CT --notrack", { error: "bad-table" }]], { table: "mangle" });
ruleCases("-j CT (IPv6)", [["-j CT --notrack", "="]], { table: "raw", family: "ipv6" });

describe("-j CT semantics (xt_ct_target)", () => {
  const raw = { table: "raw", hook: "PREROUTING" } as const;
  test("--notrack: untracked", () => {
    const env = targetEnv(raw);
    expect(afterContinue(applyRule("-j CT --notrack", env), env).meta.untracked).toBe(true);
  });
  test("--zone, --zone mark, --zone-reply, --helper", () => {
    const env = targetEnv({ ...raw, packet: "tcp 10.0.0.2:40000 -> 10.0.0.1:21", meta: { mark: 0x12345 } });
    expect(afterContinue(applyRule("-j CT --zone 7", env), env)).toMatchObject({ meta: { zone: 7 }, note: "CT: the connection is set up with zone 7" });
    expect(afterContinue(applyRule("-j CT --zone mark", env), env).meta.zone).toBe(0x2345);
    expect(afterContinue(applyRule("-j CT --zone-reply 7", env), env).meta.zone).toBe(0);
    expect(afterContinue(applyRule("-p tcp -j CT --helper ftp", env), env)).toMatchObject({ meta: { helper: "ftp", untracked: false }, note: "CT: the connection is set up with helper ftp" });
  });
  test("a packet looping back through lo keeps its connection", () => {
    const env = targetEnv({ ...raw, inInterface: "lo" });
    expect(applyRule("-j CT --notrack", env)).toEqual({ kind: "continue", note: "CT does nothing: the packet brings its connection along through lo" });
  });
});
