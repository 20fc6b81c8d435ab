/**
 * PACKET's protocol word: a name or a number, and ICMP's number in the other family (1 over
 * IPv6, 58 over IPv4) as a packet of its own, with no ICMP header; its name is refused there,
 * with the way to write it.
 */
import { describe, expect, test } from "vitest";
import { parsePacketSpec } from "../../src/packet/spec.js";

function packetOf(text: string) {
  const r = parsePacketSpec(text);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.packet;
}

describe("the other family's ICMP number", () => {
  test.each([
    ["1 fd00:1::2 -> fd00:1::1", "ipv6", 1],
    ["1 [fd00:1::2] -> [fd00:1::1] [ttl 3]", "ipv6", 1],
    ["58 10.0.0.2 -> 10.0.0.1", "ipv4", 58],
  ])("%s is a %s packet of protocol %i with no ICMP header, as long as its IP header", (text, family, protocol) => {
    const p = packetOf(text);
    expect(p.family).toBe(family);
    expect(p.protocol).toBe(protocol);
    expect(p.transport).toEqual({ kind: "other" });
    expect(p.length).toBe(family === "ipv6" ? 40 : 20);
  });

  test("the family's own ICMP by number is still ICMP with its echo request", () => {
    expect(packetOf("58 fd00:1::2 -> fd00:1::1").transport).toEqual({ kind: "icmpv6", type: 128, code: 0 });
    expect(packetOf("1 10.0.0.2 -> 10.0.0.1").transport).toEqual({ kind: "icmp", type: 8, code: 0 });
  });

  test.each([
    ["icmp fd00:1::2 -> fd00:1::1", 'use "icmpv6" for IPv6 (a packet of next header 1 is "1 SRC -> DST")'],
    ["ICMP [fd00:1::2] -> [fd00:1::1] [type 8]", 'use "icmpv6" for IPv6 (a packet of next header 1 is "1 SRC -> DST")'],
    ["icmpv6 10.0.0.2 -> 10.0.0.1", 'use "icmp" for IPv4 (a packet of protocol 58 is "58 SRC -> DST")'],
    ["ipv6-icmp 10.0.0.2 -> 10.0.0.1", 'use "icmp" for IPv4 (a packet of protocol 58 is "58 SRC -> DST")'],
    ["icmp6 10.0.0.2 -> 10.0.0.1", 'use "icmp" for IPv4 (a packet of protocol 58 is "58 SRC -> DST")'],
    ["1 [fd00:1::2]:40000 -> [fd00:1::1]:80", "ports are only for tcp, udp, udplite, sctp and dccp"],
  ])("%s is refused: %s", (text, message) => {
    expect(parsePacketSpec(text)).toEqual({ ok: false, message });
  });
});

describe("[options]", () => {
  test("a packet without options has the defaults the options would give it", () => {
    const bare = packetOf("tcp 10.0.0.2:40000 -> 10.0.0.1:80");
    expect(packetOf("tcp 10.0.0.2:40000 -> 10.0.0.1:80 [flags SYN] [ttl 64 tos 0] [length 40] [frag 0]")).toEqual(bare);
    expect(bare).toMatchObject({ transport: { kind: "tcp", sport: 40000, dport: 80, flags: 2 }, ttl: 64, tos: 0, length: 40, fragmentOffset: 0 });
  });

  test("option names are read in any case, and each group holds pairs", () => {
    expect(packetOf("udp 10.0.0.2:1 -> 10.0.0.1:53 [TTL 3] [Tos 0x10]")).toMatchObject({ ttl: 3, tos: 16 });
    expect(packetOf("icmp 10.0.0.2 -> 10.0.0.1 [type 3 code 1]").transport).toEqual({ kind: "icmp", type: 3, code: 1 });
  });

  test.each([
    ["tcp 10.0.0.2:1 -> 10.0.0.1:80 [ttl]", '"[ttl]" should hold pairs like [flags SYN,ACK] or [type 8]'],
    ["tcp 10.0.0.2:1 -> 10.0.0.1:80 [colour red]", 'unknown packet option "colour" (known: flags, type, code, ttl, tos, length, frag)'],
    // The transport is checked before the option names, as it always was.
    ["tcp 10.0.0.2 -> 10.0.0.1 [colour red]", 'tcp needs ports: "tcp 10.0.0.2:40000 -> 10.0.0.1:80"'],
    ["udp 10.0.0.2:1 -> 10.0.0.1:53 [flags SYN]", "flags are for tcp packets"],
    ["tcp 10.0.0.2:1 -> 10.0.0.1:80 [ttl 256]", 'ttl "256" is not a number from 0 to 255'],
  ])("%s is refused: %s", (text, message) => {
    expect(parsePacketSpec(text)).toEqual({ ok: false, message });
  });
});
