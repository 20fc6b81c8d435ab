import { describe, expect, test } from "vitest";
import { matchEnvB, ruleMatch } from "../../helpers/match-env-b.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m u32", [
  ['-m u32 --u32 "0x0=0x0&&0x0=0x1"', "="],
  ['-m u32 ! --u32 "0x0=0x0"', "="],
  ['-m u32 --u32 "0 >> 22 & 0x3C @ 12 >> 26 @ 6 & 0xFF = 1,5:0x10"', '-m u32 --u32 "0x0>>0x16&0x3c@0xc>>0x1a@0x6&0xff=0x1,0x5:0x10"'],
  ['-m u32 --u32 "6&0xFF=1 && 4&0x3FFF=0"', '-m u32 --u32 "0x6&0xff=0x1&&0x4&0x3fff=0x0"'],
  ["-m u32 --u32 0<<010=4294967295", '-m u32 --u32 "0x0<<0x8=0xffffffff"'],
  ['-m u32 --u32 "0=1,2,3,4,5,6,7,8,9,10"', '-m u32 --u32 "0x0=0x1,0x2,0x3,0x4,0x5,0x6,0x7,0x8,0x9,0xa"'],
  ['-m u32 --u32 "0=1,2,3,4,5,6,7,8,9,10,11"', { error: "bad-value" }],
  ['-m u32 --u32 "0&1&2&3&4&5&6&7&8&9=1"', '-m u32 --u32 "0x0&0x1&0x2&0x3&0x4&0x5&0x6&0x7&0x8&0x9=0x1"'],
  ['-m u32 --u32 "0&1&2&3&4&5&6&7&8&9&10=1"', { error: "bad-value" }],
  ['-m u32 --u32 "0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0"', '-m u32 --u32 "0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0"'],
  ['-m u32 --u32 "0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0"', { error: "bad-value" }],
  ['-m u32 --u32 "0"', { error: "bad-value" }],
  ['-m u32 --u32 "0="', { error: "bad-value" }],
  ['-m u32 --u32 "=1"', { error: "bad-value" }],
  ['-m u32 --u32 "0<1=1"', { error: "bad-value" }],
  ['-m u32 --u32 "0=1&2=3"', { error: "bad-value" }],
  ['-m u32 --u32 "0=4294967296"', { error: "bad-value" }],
  ['-m u32 --u32 "0 1=1"', { error: "bad-value" }],
  ["-m u32", { error: "missing-option" }],
]);

describe("-m u32 semantics (u32_mt)", () => {
  const tcp = matchEnvB({ packet: "tcp 10.0.0.2:40000 -> 10.0.0.1:80 [flags SYN] [ttl 7]" });
  const m = (tests: string, env = tcp) => ruleMatch(`-m u32 --u32 "${tests}"`, env);
  test("IP header fields", () => {
    expect(m("0>>28=4")).toBe(true);
    expect(m("6&0xFF=6")).toBe(true);
    expect(m("6&0xFF=17")).toBe(false);
    expect(m("5&0xFF=7")).toBe(true); // word 5 holds bytes 5-8; byte 8 is the TTL
    expect(m("8>>24=7")).toBe(true);
    expect(m("12=0x0a000002&&16=0x0a000001")).toBe(true);
    expect(m("4&0x1FFF=0")).toBe(true); // fragment offset known, id masked away
  });
  test("the transport header through the IHL", () => {
    expect(m("0>>22&0x3C@0>>16=40000")).toBe(true);
    expect(m("0>>22&0x3C@0&0xFFFF=80")).toBe(true);
    expect(m("0>>22&0x3C@12>>16&0xFF=0x02")).toBe(true); // flags byte: SYN
    expect(ruleMatch('-m u32 ! --u32 "0>>22&0x3C@0&0xFFFF=443"', tcp)).toBe(true);
  });
  test("unknown bytes: the IP id, TCP sequence numbers", () => {
    expect(m("4>>16=0x1234")).toEqual({ unknown: expect.stringContaining("0x4>>0x10") });
    expect(m("0>>22&0x3C@4=0")).toEqual({ unknown: expect.any(String) });
  });
  test("a failing test wins over an unknown one; reading past the end fails", () => {
    expect(m("4>>16=1&&6&0xFF=17")).toBe(false);
    expect(m("0>>22&0x3C@20=0")).toBe(false);
    expect(ruleMatch('-m u32 ! --u32 "100=0"', tcp)).toBe(true);
  });
  test("IPv6 header and UDP", () => {
    const udp6 = matchEnvB({ packet: "udp [2001:db8::2]:5353 -> [2001:db8::1]:53" });
    expect(m("0>>28=6", udp6)).toBe(true);
    expect(m("4>>8&0xFF=17", udp6)).toBe(true);
    expect(m("40&0xFFFF=53", udp6)).toBe(true);
    expect(m("0&0xFFFFF=0", udp6)).toEqual({ unknown: expect.any(String) });
  });
});
