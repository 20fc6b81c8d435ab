import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m bpf", [
  ['-m bpf --bytecode "4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0"', "="],
  ['-m bpf --bytecode "1,6 0 0 1"', "="],
  ['-m bpf --bytecode "2,6 0 0 1"', { error: "bad-value" }],
  ["-m bpf", { error: "missing-option" }],
]);

describe("-m bpf semantics", () => {
  test("nfwalk does not run BPF", () => {
    expect(ruleMatch('-m bpf --bytecode "1,6 0 0 1"', matchEnvB())).toEqual({ unknown: expect.stringContaining("BPF") });
  });
});
