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
