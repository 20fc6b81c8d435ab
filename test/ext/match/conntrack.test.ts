import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m conntrack", [
  ["-m conntrack --ctstate NEW", "="],
  ["-m conntrack --ctstate NEW,ESTABLISHED", "="],
  ["-m conntrack --ctstate RELATED,ESTABLISHED", "="],
  ["-m conntrack --ctstate ESTABLISHED,RELATED", "-m conntrack --ctstate RELATED,ESTABLISHED"],
  ["-m conntrack --ctstate INVALID,NEW,UNTRACKED", "="],
  ["-m conntrack --ctstate DNAT,SNAT", "-m conntrack --ctstate SNAT,DNAT"],
  ["-m conntrack --ctstate new,untracked", "-m conntrack --ctstate NEW,UNTRACKED"],
  ["-m conntrack --ctstate s,d", "-m conntrack --ctstate SNAT,DNAT"],
  ["-m conntrack ! --ctstate INVALID", "="],
  ["-m conntrack --ctstate wrong", { error: "bad-value" }],
  ["-m conntrack --ctstate ,NEW", { error: "bad-value" }],
  ["-m conntrack --ctstate NEW,", { error: "bad-value" }],
  ["-m conntrack --ctstate NEW --ctstate ESTABLISHED", { error: "duplicate-option" }],
  ["-m conntrack --ctproto tcp", "-m conntrack --ctproto 6"],
  ["-m conntrack --ctproto TCP", "-m conntrack --ctproto 6"],
  ["-m conntrack ! --ctproto udp", "-m conntrack ! --ctproto 17"],
  ["-m conntrack --ctproto all", "-m conntrack --ctproto 0"],
  ["-m conntrack ! --ctproto all", "-m conntrack ! --ctproto 0"],
  ["-m conntrack --ctproto 256", { error: "unknown-protocol" }],
  ["-m conntrack --ctorigsrc 1.1.1.1", "="],
  ["-m conntrack --ctorigdst 10.0.0.0/8", "="],
  ["-m conntrack --ctorigsrc 10.1.2.3/8", "="],
  ["-m conntrack --ctorigsrc 10.0.0.1/32", "-m conntrack --ctorigsrc 10.0.0.1"],
  ["-m conntrack --ctorigdst 10.0.0.1/255.255.0.0", "-m conntrack --ctorigdst 10.0.0.1/16"],
  ["-m conntrack --ctorigsrc 10.0.0.1/255.0.255.0", "-m conntrack --ctorigsrc 10.0.0.1"],
  ["-m conntrack --ctrepldst 0.0.0.0/0", "="],
  ["-m conntrack ! --ctreplsrc 1.1.1.1", "="],
  ["-m conntrack --ctorigsrc 1.1.1.300", { error: "bad-address" }],
  ["-m conntrack --ctstatus NONE", "="],
  ["-m conntrack --ctstatus CONFIRMED", "="],
  ["-m conntrack --ctstatus assured,seen_reply", "-m conntrack --ctstatus SEEN_REPLY,ASSURED"],
  ["-m conntrack --ctstatus e", "-m conntrack --ctstatus EXPECTED"],
  ["-m conntrack ! --ctstatus CONFIRMED,NONE", "-m conntrack ! --ctstatus CONFIRMED"],
  ["-m conntrack --ctstatus ,NONE", { error: "bad-value" }],
  ["-m conntrack --ctexpire 0", "="],
  ["-m conntrack --ctexpire 4294967295", "="],
  ["-m conntrack --ctexpire 0:4294967295", "="],
  ["-m conntrack --ctexpire 10:", "-m conntrack --ctexpire 10:4294967295"],
  ["-m conntrack --ctexpire :5", "-m conntrack --ctexpire 0:5"],
  ["-m conntrack --ctexpire 20:10", "="],
  ["-m conntrack --ctexpire 0x10", "-m conntrack --ctexpire 16"],
  ["-m conntrack --ctexpire 4294967296", { error: "bad-value" }],
  ["-m conntrack --ctexpire -1", { error: "bad-value" }],
  ["-m conntrack --ctexpire 1:2:3", { error: "bad-value" }],
  ["-m conntrack --ctdir ORIGINAL", "="],
  ["-m conntrack --ctdir reply", "-m conntrack --ctdir REPLY"],
  ["-m conntrack --ctdir foo", { error: "bad-value" }],
  ["-m conntrack ! --ctdir ORIGINAL", { error: "bad-negation" }],
  ["-m conntrack --ctorigdstport 1:", "-m conntrack --ctorigdstport 1:65535"],
  ["-m conntrack --ctorigdstport 0:0", "-m conntrack --ctorigdstport 0"],
  ["-m conntrack --ctorigdstport :", "-m conntrack --ctorigdstport 0:65535"],
  ["-m conntrack --ctorigdstport 5:0", "-m conntrack --ctorigdstport 5"],
  ["-m conntrack --ctreplsrcport 5:3", "="],
  ["-m conntrack --ctorigdstport 53 --ctproto 17 --ctstate NEW --ctorigsrcport 68", "-m conntrack --ctstate NEW --ctproto 17 --ctorigsrcport 68 --ctorigdstport 53"],
  [
    "-m conntrack --ctdir REPLY --ctexpire 5 --ctstatus EXPECTED --ctrepldstport 1 --ctreplsrcport 2 --ctorigsrcport 3 --ctrepldst 1.1.1.1 --ctreplsrc 2.2.2.2 --ctorigdst 3.3.3.3 --ctorigsrc 4.4.4.4 --ctproto 6 --ctstate NEW",
    "-m conntrack --ctstate NEW --ctproto 6 --ctorigsrc 4.4.4.4 --ctorigdst 3.3.3.3 --ctreplsrc 2.2.2.2 --ctrepldst 1.1.1.1 --ctorigsrcport 3 --ctreplsrcport 2 --ctrepldstport 1 --ctstatus EXPECTED --ctexpire 5 --ctdir REPLY",
  ],
  ["-m conntrack", { error: "missing-option" }],
]);

ruleCases(
  "-m conntrack (IPv6)",
  [
    ["-m conntrack --ctorigsrc 2001:db8::1", "="],
    ["-m conntrack --ctorigsrc 2001:db8::1/64", "="],
    ["-m conntrack --ctorigsrc 2001:db8::1/128", "-m conntrack --ctorigsrc 2001:db8::1"],
    ["-m conntrack --ctorigsrc 2001:db8::1/ffff::ffff", "-m conntrack --ctorigsrc 2001:db8::1"],
    ["-m conntrack --ctorigsrc 10.0.0.1", { error: "bad-address" }],
  ],
  { family: "ipv6" },
);

describe("-m conntrack semantics (conntrack_mt)", () => {
  const fresh = envOf("tcp 10.0.0.2:40000 -> 10.0.0.1:8080");
  const dnat = envOf("tcp 10.0.0.2:40000 -> 172.17.0.2:80", {
    conntrack: {
      status: 1 << 5,
      original: { src: fresh.packet.src, dst: fresh.packet.dst, protocol: 6, sport: 40000, dport: 8080 },
      replyTuple: { src: envOf("tcp 172.17.0.2:80 -> 10.0.0.2:40000").packet.src, dst: fresh.packet.src, protocol: 6, sport: 80, dport: 40000 },
    },
  });
  test("state, and the virtual DNAT/SNAT states from the status bits", () => {
    expect(verdict("-m conntrack --ctstate NEW", fresh)).toBe(true);
    expect(verdict("-m conntrack --ctstate DNAT", fresh)).toBe(false);
    expect(verdict("-m conntrack --ctstate DNAT", dnat)).toBe(true);
    expect(verdict("-m conntrack ! --ctstate SNAT", dnat)).toBe(true);
  });
  test("tuples with masks, ports, protocol, direction", () => {
    expect(verdict("-m conntrack --ctorigdst 10.0.0.1 --ctorigdstport 8080 --ctreplsrc 172.17.0.0/16 --ctreplsrcport 80", dnat)).toBe(true);
    expect(verdict("-m conntrack ! --ctorigdst 10.0.0.0/24", dnat)).toBe(false);
    expect(verdict("-m conntrack --ctproto tcp --ctdir ORIGINAL", dnat)).toBe(true);
    expect(verdict("-m conntrack --ctdir REPLY", dnat)).toBe(false);
    expect(verdict("-m conntrack --ctorigsrcport 1:39999", dnat)).toBe(false);
  });
  test("status: any of the bits; NONE never matches", () => {
    expect(verdict("-m conntrack --ctstatus CONFIRMED", fresh)).toBe(false);
    expect(verdict("-m conntrack ! --ctstatus ASSURED", fresh)).toBe(true);
    expect(verdict("-m conntrack --ctstatus NONE", fresh)).toBe(false);
    expect(verdict("-m conntrack ! --ctstatus NONE", fresh)).toBe(true);
  });
  test("without an entry only --ctstate can hold", () => {
    const invalid = envOf("tcp 10.0.0.2:1 -> 10.0.0.1:2 [flags RST]");
    expect(verdict("-m conntrack --ctstate INVALID", invalid)).toBe(true);
    expect(verdict("-m conntrack --ctstate INVALID --ctproto tcp", invalid)).toBe(true);
    expect(verdict("-m conntrack --ctproto tcp", invalid)).toBe(false);
    expect(verdict("-m conntrack ! --ctproto udp", invalid)).toBe(false);
  });
  test("--ctexpire and ICMP ports are unknown unless something else fails", () => {
    expect(verdict("-m conntrack --ctexpire 1:100", fresh)).toBe("unknown");
    expect(verdict("-m conntrack --ctexpire 1:100 --ctdir REPLY", fresh)).toBe(false);
    expect(verdict("-m conntrack --ctorigsrcport 5", envOf("icmp 10.0.0.2 -> 10.0.0.1"))).toBe("unknown");
    expect(verdict("-m conntrack --ctorigsrcport 0", envOf("gre 10.0.0.2 -> 10.0.0.1"))).toBe(true);
  });
});
