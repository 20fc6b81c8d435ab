import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as iv from "../../src/sets/intervals.js";
import { boxOf, containsPoint, EMPTY, sameSet, EVERYTHING, intersect, isEmpty, merge, minus, union, unionAll, type PacketSet, type Point } from "../../src/sets/packet-set.js";
import { boxJson, boxText, examplePoint, packetAt, parsePacketSet, packetText } from "../../src/sets/text.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { addressRanges, boxAddressRanges, fromWords, v6Range, wordsOf } from "../../src/sets/address-set.js";

// Small values make boxes overlap often; points are drawn from the same small range.
const small = fc.integer({ min: 0, max: 12 });
const intervals = fc.array(fc.tuple(small, small), { maxLength: 3 }).map((pairs) => iv.fromRanges(pairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)])));
const box = fc.record({ proto: intervals, src: intervals, dst: intervals, sport: intervals, dport: intervals }, { requiredKeys: [] }).map((fields) => boxOf(fields));
const set = fc.array(box, { maxLength: 4 }).map(unionAll);
const point = fc.tuple(small, small, small, small, small) as fc.Arbitrary<Point>;

function disjoint(s: PacketSet): boolean {
  return s.every((a, i) => s.every((b, j) => i === j || isEmpty(intersect([a], [b]))));
}

describe("interval lists", () => {
  it("union, intersection and difference agree with the values they hold", () => {
    fc.assert(
      fc.property(intervals, intervals, small, (a, b, v) => {
        expect(iv.hasValue(iv.union(a, b), v)).toBe(iv.hasValue(a, v) || iv.hasValue(b, v));
        expect(iv.hasValue(iv.intersect(a, b), v)).toBe(iv.hasValue(a, v) && iv.hasValue(b, v));
        expect(iv.hasValue(iv.minus(a, b), v)).toBe(iv.hasValue(a, v) && !iv.hasValue(b, v));
        expect(iv.overlaps(a, b)).toBe(iv.intersect(a, b).length > 0);
        expect(iv.within(a, b)).toBe(iv.minus(a, b).length === 0);
      }),
    );
  });
  it("cutAt splits a list into pieces that hold its values exactly once", () => {
    fc.assert(
      fc.property(intervals, fc.uniqueArray(small, { maxLength: 4 }), (a, cuts) => {
        const pieces = iv.cutAt(
          a,
          [...cuts].sort((x, y) => x - y),
        );
        expect(pieces.reduce((acc, p) => iv.union(acc, p), iv.NO_VALUES)).toEqual(a);
        expect(pieces.reduce((n, p) => n + iv.size(p), 0)).toBe(iv.size(a));
      }),
    );
  });
});

describe("packet sets", () => {
  it("set operations agree with membership, and their boxes stay disjoint", () => {
    fc.assert(
      fc.property(set, set, point, (a, b, p) => {
        const inA = containsPoint(a, p);
        const inB = containsPoint(b, p);
        for (const [result, expected] of [
          [union(a, b), inA || inB],
          [intersect(a, b), inA && inB],
          [minus(a, b), inA && !inB],
        ] as const) {
          expect(containsPoint(result, p)).toBe(expected);
          expect(disjoint(result)).toBe(true);
        }
      }),
    );
  });
  it("merging keeps the set and joins boxes that differ in one field", () => {
    const split = [...boxOf({ dport: [0, 79] }), ...boxOf({ dport: [80, 80] }), ...boxOf({ dport: [81, 65535] })];
    expect(merge(split)).toEqual(EVERYTHING);
    expect(minus(EVERYTHING, EVERYTHING)).toEqual(EMPTY);
    expect(isEmpty(minus(EVERYTHING, EVERYTHING))).toBe(true);
  });
});

describe("PACKETSET", () => {
  it("reads the contract's examples", () => {
    const read = (text: string) => {
      const r = parsePacketSet(text);
      if (!r.ok) throw new Error(r.message);
      return r.query;
    };
    expect(read("tcp any -> 10.99.0.1:any").set.map((b) => boxJson(b))).toEqual([{ proto: ["tcp"], dst: ["10.99.0.1"] }]);
    expect(read("tcp,udp 203.0.113.0/24 -> 10.99.0.1:1-1024,8080").set.map((b) => boxJson(b))).toEqual([
      { proto: ["tcp", "udp"], src: ["203.0.113.0-203.0.113.255"], dst: ["10.99.0.1"], dport: ["1-1024", "8080"] },
    ]);
    expect(read("any any -> 172.17.0.0/16").set.map((b) => boxText(b))).toEqual(["any any -> 172.17.0.0/16"]);
    const icmp = read("icmp 10.0.0.0/8 -> any [type 8]");
    expect(icmp.fixed.icmpType).toBe(8);
    expect(icmp.set.map((b) => boxText(b))).toEqual(["icmp 10.0.0.0/8 -> any"]);
    expect(read("tcp 10.0.0.1-10.0.0.5 -> any:22").set.map((b) => boxText(b))).toEqual(["tcp 10.0.0.1-10.0.0.5 -> any:22"]);
    // [length N] sets the whole packet's length, as PACKET's option does; the example carries it.
    const long = read("udp any -> 10.0.0.1:53 [length 1500]");
    expect(long.fixed.length).toBe(1500);
    const example = parsePacketSpec(packetText(examplePoint(long.set), long.fixed));
    expect(example.ok && example.packet.length).toBe(1500);
  });
  it("says what is wrong with a bad set", () => {
    for (const bad of ["tcp any", "tcp 10.0.0.300 -> any", "tcp any -> any:70000", "bogus any -> any", "tcp any -> any [colour red]", "tcp [::1] -> any", "tcp any -> [::1]:22"]) {
      const r = parsePacketSet(bad);
      expect(r.ok, bad).toBe(false);
    }
  });
  it("writes each box so that it reads back as the same set, and its example as a PACKET trace reads", () => {
    fc.assert(
      // Ports are restricted only together with protocols that have them (what every match does).
      fc.property(box, fc.boolean(), (b, ports) => {
        const s = ports ? intersect(b, boxOf({ proto: [6, 6, 17, 17] })) : b.map((x) => [x[0]!, x[1]!, x[2]!, [0, 65535], [0, 65535]]);
        fc.pre(!isEmpty(s));
        const again = parsePacketSet(boxText(s[0]!));
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        expect(sameSet(again.query.set, s)).toBe(true);
        const example = examplePoint(s);
        expect(containsPoint(s, example)).toBe(true);
        expect(parsePacketSpec(packetText(example, again.query.fixed)).ok).toBe(true);
      }),
    );
  });
});

describe("IPv6 address sets (four words a box)", () => {
  // Addresses near word boundaries, where the decomposition into boxes has its cases.
  const word = fc.constantFrom(0, 1, 2, 0x7fffffff, 0xfffffffe, 0xffffffff);
  const address = fc.tuple(word, word, word, word).map((w) => fromWords(w));
  const range = fc.tuple(address, address).map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const)));
  const pointAt = (dst: bigint): Point => {
    const d = wordsOf(dst);
    return [6, 0, d[0], 0, 0, 0, 0, 0, d[1], d[2], d[3]];
  };

  it("a range A-B holds exactly the addresses from A to B, in at most seven disjoint boxes that print back as A-B", () => {
    fc.assert(
      fc.property(range, fc.array(address, { maxLength: 6 }), ([lo, hi], probes) => {
        const s = v6Range("dst", lo, hi);
        expect(s.length).toBeLessThanOrEqual(7);
        expect(disjoint(s)).toBe(true);
        for (const x of [lo, hi, lo - 1n, hi + 1n, ...probes]) if (x >= 0n && x < 1n << 128n) expect(containsPoint(s, pointAt(x))).toBe(x >= lo && x <= hi);
        const printed = merge(s).flatMap((b) => boxAddressRanges(b, "dst", "ipv6"));
        expect(sameSet(addressRanges("dst", "ipv6", printed), s)).toBe(true);
      }),
    );
  });

  it("reads IPv6 PACKETSETs (brackets before ports) and writes them back as the same set, with a PACKET trace reads", () => {
    for (const text of ["tcp [2001:db8::/32]:22 -> fd00::1-fd00::1:ff", "udp any -> [fd00:2::2,fd00:2::9]:53", "icmpv6 fe80::/10 -> ff02::1 [type 128]", "any ::1 -> any"]) {
      const r = parsePacketSet(text, "ipv6");
      if (!r.ok) throw new Error(`${text}: ${r.message}`);
      for (const b of r.query.set) {
        const again = parsePacketSet(boxText(b, "ipv6"), "ipv6");
        expect(again.ok, boxText(b, "ipv6")).toBe(true);
        if (again.ok) expect(sameSet(again.query.set, [b]), boxText(b, "ipv6")).toBe(true);
      }
      const example = examplePoint(r.query.set, "ipv6");
      expect(containsPoint(r.query.set, example)).toBe(true);
      expect(parsePacketSpec(packetText(example, r.query.fixed)).ok, packetText(example, r.query.fixed)).toBe(true);
    }
    for (const bad of ["tcp 10.0.0.1 -> any", "icmp any -> any", "tcp [2001:db8::1 -> any", "tcp 2001:db8::/129 -> any"]) expect(parsePacketSet(bad, "ipv6").ok, bad).toBe(false);
    expect(parsePacketSet("tcp any -> [2001:db8::1]:22", "ipv4").ok).toBe(false);
  });
});

describe("every protocol of either family is written as trace reads it (the other family's ICMP, 1 over IPv6 and 58 over IPv4, as its number)", () => {
  const sets = { ipv4: "10.0.0.0/8", ipv6: "fd00::/16" } as const;
  it.each(["ipv4", "ipv6"] as const)("%s: the set of one protocol prints back as itself, and its example is the packet trace makes of its PACKET", (family) => {
    for (let proto = 0; proto <= 255; proto++) {
      const r = parsePacketSet(`${proto} ${sets[family]} -> any`, family);
      if (!r.ok) throw new Error(`${proto}: ${r.message}`);
      const text = boxText(r.query.set[0]!, family);
      const again = parsePacketSet(text, family);
      expect(again.ok && sameSet(again.query.set, r.query.set), text).toBe(true);
      const example = examplePoint(r.query.set, family);
      expect(example[0]).toBe(proto);
      const printed = packetText(example, r.query.fixed);
      const parsed = parsePacketSpec(printed);
      if (!parsed.ok) throw new Error(`${printed}: ${parsed.message}`);
      expect(parsed.packet, printed).toEqual(packetAt(example, r.query.fixed));
    }
  });

  it("writes next header 1 and IPv4's protocol 58 as numbers in PACKETSETs, JSON boxes and PACKETs; the family's own ICMP by name", () => {
    const read = (text: string, family: "ipv4" | "ipv6") => {
      const r = parsePacketSet(text, family);
      if (!r.ok) throw new Error(r.message);
      return r.query;
    };
    const v6 = read("1,icmpv6 fd00::2 -> fd00::1", "ipv6");
    expect(boxText(v6.set[0]!, "ipv6")).toBe("1,icmpv6 fd00::2 -> fd00::1");
    expect(boxJson(v6.set[0]!, "ipv6").proto).toEqual(["1", "icmpv6"]);
    expect(packetText(examplePoint(read("1 fd00::2 -> fd00::1", "ipv6").set, "ipv6"), v6.fixed)).toBe("1 fd00::2 -> fd00::1");
    const v4 = read("icmp,58 10.0.0.2 -> 10.0.0.1", "ipv4");
    expect(boxText(v4.set[0]!)).toBe("icmp,58 10.0.0.2 -> 10.0.0.1");
    expect(boxJson(v4.set[0]!).proto).toEqual(["icmp", "58"]);
    expect(packetText(examplePoint(read("58 10.0.0.2 -> 10.0.0.1", "ipv4").set), v4.fixed)).toBe("58 10.0.0.2 -> 10.0.0.1");
  });
});
