import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked with iptables-restore / iptables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "-m cluster",
  [
    [
      "-m cluster --cluster-total-nodes 2 --cluster-local-node 2 --cluster-hash-seed 0xfeedcafe",
      "-m cluster --cluster-local-nodemask 0x00000002 --cluster-total-nodes 2 --cluster-hash-seed 0xfeedcafe",
    ],
    [
      "-m cluster --cluster-total-nodes 3 ! --cluster-local-node 3 --cluster-hash-seed 0xdeadbeef",
      "-m cluster ! --cluster-local-nodemask 0x00000004 --cluster-total-nodes 3 --cluster-hash-seed 0xdeadbeef",
    ],
    ["-m cluster --cluster-total-nodes 2 --cluster-local-nodemask 3 --cluster-hash-seed 1", "-m cluster --cluster-local-nodemask 0x00000003 --cluster-total-nodes 2 --cluster-hash-seed 0x00000001"],
    ["-m cluster", { error: "missing-option" }],
    ["-m cluster --cluster-total-nodes 3", { error: "missing-option" }],
    ["-m cluster --cluster-total-nodes 2 --cluster-local-node 2", { error: "missing-option" }],
    ["-m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed", { error: "missing-argument" }],
    ["-m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed 1", { error: "bad-value" }],
    ["-m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-local-nodemask 1 --cluster-hash-seed 1", { error: "conflicting-options" }],
    ["-m cluster --cluster-total-nodes 33 --cluster-local-node 1 --cluster-hash-seed 1", { error: "bad-value" }],
  ],
  { table: "mangle" },
);
