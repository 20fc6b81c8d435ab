import { describe, expect, test } from "vitest";
import { localEnvB, matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-m owner",
  [
    ["-m owner --uid-owner 1000", "="],
    ["-m owner --uid-owner root", "-m owner --uid-owner 0"],
    ["-m owner --uid-owner nobody", "-m owner --uid-owner 65534"],
    ["-m owner --gid-owner root", "-m owner --gid-owner 0"],
    ["-m owner --uid-owner 0-10", "="],
    ["-m owner --uid-owner 7:9", "-m owner --uid-owner 7-9"],
    ["-m owner --uid-owner 5-5", "-m owner --uid-owner 5"],
    ["-m owner --uid-owner 0x10", "-m owner --uid-owner 16"],
    ["-m owner --uid-owner 4294967294", "="],
    ["-m owner --gid-owner 0-10 --suppl-groups", "="],
    ["-m owner --socket-exists", "="],
    ["-m owner ! --socket-exists --uid-owner 1 ! --gid-owner 2", "="],
    ["-m owner --gid-owner 3 --uid-owner 1", "-m owner --uid-owner 1 --gid-owner 3"],
    ["-m owner ! --uid-owner 0", "="],
    ["-m owner --uid-owner 10-0", { error: "bad-value" }],
    ["-m owner --uid-owner 4294967295", { error: "bad-value" }],
    ["-m owner --uid-owner 1-", { error: "bad-value" }],
    ["-m owner --uid-owner -5", { error: "bad-value" }],
    ["-m owner --uid-owner nosuchuser", { error: "unknown-name" }],
    ["-m owner --suppl-groups --gid-owner 0-10", { error: "missing-option" }],
    ["-m owner --gid-owner 0-10 ! --suppl-groups", { error: "bad-negation" }],
    ["-m owner --suppl-groups", { error: "missing-option" }],
    ["-m owner", { error: "missing-option" }],
    ["-m owner --uid-owner 1 --uid-owner 2", { error: "duplicate-option" }],
    ["-m owner --pid-owner 1", { error: "unknown-option" }],
    ["-m owner --cmd-owner x", { error: "unknown-option" }],
  ],
  { chain: "OUTPUT" },
);

ruleCases("-m owner outside OUTPUT and POSTROUTING", [["-m owner --uid-owner 0", { error: "bad-hook" }]], { chain: "INPUT" });
ruleCases("-m owner in FORWARD", [["-m owner --uid-owner 0", { error: "bad-hook" }]], { chain: "FORWARD" });
ruleCases("-m owner in nat INPUT", [["-m owner --uid-owner 0", { error: "bad-hook" }]], { table: "nat", chain: "INPUT" });
ruleCases("-m owner in nat POSTROUTING", [["-m owner --uid-owner 0", "="]], { table: "nat", chain: "POSTROUTING" });

describe("-m owner semantics (owner_mt)", () => {
  const root = localEnvB();
  const user = localEnvB({ socket: { uid: 1000, gid: 100 } });
  const forwarded = matchEnvB({ hook: "POSTROUTING", table: "nat", outInterface: "eth1" });
  const m = (args: string, env = root) => ruleMatch(args, env);
  test("uid and gid ranges of the sending socket", () => {
    expect(m("-m owner --uid-owner 0")).toBe(true);
    expect(m("-m owner --uid-owner 1-5")).toBe(false);
    expect(m("-m owner ! --uid-owner 0")).toBe(false);
    expect(m("-m owner --uid-owner 1000 --gid-owner 100", user)).toBe(true);
    expect(m("-m owner --uid-owner 1000 ! --gid-owner 100", user)).toBe(false);
    expect(m("-m owner --uid-owner 999-1001", user)).toBe(true);
  });
  test("--socket-exists", () => {
    expect(m("-m owner --socket-exists")).toBe(true);
    expect(m("-m owner ! --socket-exists")).toBe(false);
    expect(m("-m owner --socket-exists", forwarded)).toBe(false);
    expect(m("-m owner ! --socket-exists", forwarded)).toBe(true);
  });
  test("without a socket only all-negated options match", () => {
    expect(m("-m owner --uid-owner 0", forwarded)).toBe(false);
    expect(m("-m owner ! --uid-owner 0", forwarded)).toBe(true);
    expect(m("-m owner ! --uid-owner 0 --gid-owner 0", forwarded)).toBe(false);
    expect(m("-m owner ! --gid-owner 0 --suppl-groups", forwarded)).toBe(false);
  });
  test("--suppl-groups: the primary group decides when it is in range, else the groups nfwalk lacks", () => {
    expect(m("-m owner --gid-owner 100 --suppl-groups", user)).toBe(true);
    expect(m("-m owner --gid-owner 27 --suppl-groups", user)).toEqual({ unknown: expect.stringContaining("supplementary groups") });
    expect(m("-m owner --uid-owner 0 --gid-owner 27 --suppl-groups", user)).toBe(false);
  });
});
