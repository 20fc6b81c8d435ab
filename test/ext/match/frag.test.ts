import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against ip6tables-save 1.8.9 (nf_tables).
ruleCases(
  "-m frag",
  [
    ["-m frag ! --fragid 1:100 --fraglen 8 --fragres --fragfirst", "="],
    ["-m frag --fragmore --fraglast", { error: "conflicting-options" }],
    ["-m frag", "="],
    ["-m frag --fragid 0:4294967295", "-m frag"],
    ["-m frag ! --fragid 0:4294967295", "-m frag"],
    ["-m frag --fraglen 0", "="],
    ["-m frag --fragid :5", "-m frag --fragid 0:5"],
  ],
  { family: "ipv6" },
);

describe("-m frag semantics (frag_mt6)", () => {
  test("no fragment header, no match", () => {
    expect(verdict("-m frag", envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2"))).toBe(false);
  });
  test("first, more and last; the id is not described", () => {
    const later = envOf("udp [2001:db8::2]:1 -> [2001:db8::1]:2 [frag 8]");
    expect(verdict("-m frag", later)).toBe(true);
    expect(verdict("-m frag --fragfirst", later)).toBe(false);
    expect(verdict("-m frag --fraglast --fraglen 99", later)).toBe(true);
    expect(verdict("-m frag --fragmore", later)).toBe(false);
    expect(verdict("-m frag --fragid 5", later)).toBe("unknown");
  });
});
