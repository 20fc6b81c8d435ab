import { describe, expect, test } from "vitest";
import { ipsetKeyOf, ipsetLookup, parseIpsetSave, type IpsetContents } from "../../src/snapshot/index.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import type { Address } from "../../src/packet/packet.js";

const SAVE = `create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1d2f6f3a
add KUBE-CLUSTER-IP 10.96.0.1,tcp:443
add KUBE-CLUSTER-IP 10.96.0.10,udp:53
create allow hash:net family inet hashsize 1024 maxelem 65536
add allow 10.0.0.0/8
add allow 10.1.0.0/16 nomatch
add allow 10.1.2.0/24
create ports bitmap:port range 0-65535
add ports 22
create both list:set size 8
add both allow
add both ports
`;

const contents = (): IpsetContents => {
  const r = parseIpsetSave(SAVE, "ipset.save");
  return r.ok ? r.value : expect.fail(JSON.stringify(r.diagnostics));
};
const ip = (text: string): Address => ({ family: "ipv4", value: text.split(".").reduce((v, o) => v * 256 + Number(o), 0) });

describe("ipset save", () => {
  test("sets with their types, dimensions and members", () => {
    const sets = contents().sets;
    expect([...sets.keys()]).toEqual(["KUBE-CLUSTER-IP", "allow", "ports", "both"]);
    expect(sets.get("KUBE-CLUSTER-IP")!.dimensions).toEqual(["ip", "port"]);
    expect(sets.get("allow")!.members.map((m) => [m.line, m.nomatch])).toEqual([
      [5, false],
      [6, true],
      [7, false],
    ]);
  });

  test("lookups: exact ip,port; the most specific net decides and nomatch excludes; list:set; unknown sets", () => {
    const c = contents();
    expect(
      ipsetLookup(c, "KUBE-CLUSTER-IP", [
        { kind: "address", address: ip("10.96.0.1") },
        { kind: "port", protocol: "tcp", port: 443 },
      ]),
    ).toEqual({ kind: "member", line: 2 });
    expect(
      ipsetLookup(c, "KUBE-CLUSTER-IP", [
        { kind: "address", address: ip("10.96.0.1") },
        { kind: "port", protocol: "udp", port: 443 },
      ]),
    ).toEqual({ kind: "absent" });
    const net = (a: string) => ipsetLookup(c, "allow", [{ kind: "address", address: ip(a) }]).kind;
    expect(["10.9.9.9", "10.1.9.9", "10.1.2.3", "192.168.0.1"].map(net)).toEqual(["member", "nomatch", "member", "absent"]);
    expect(ipsetLookup(c, "both", [{ kind: "address", address: ip("10.2.3.4") }])).toEqual({ kind: "member", line: 5 });
    expect(ipsetLookup(c, "nope", []).kind).toBe("unknown");
  });

  test("the key a packet gives, from -m set's src/dst words", () => {
    const c = contents();
    const parsed = parsePacketSpec("tcp 10.244.0.5:40000 -> 10.96.0.1:443");
    if (!parsed.ok) throw new Error(parsed.message);
    const key = ipsetKeyOf(c.sets.get("KUBE-CLUSTER-IP")!, ["dst", "dst"], parsed.packet)!;
    expect(ipsetLookup(c, "KUBE-CLUSTER-IP", key).kind).toBe("member");
    expect(ipsetLookup(c, "KUBE-CLUSTER-IP", ipsetKeyOf(c.sets.get("KUBE-CLUSTER-IP")!, ["src", "dst"], parsed.packet)!).kind).toBe("absent");
    // Fewer words than dimensions: ip_set_test refuses, nothing matches.
    expect(ipsetLookup(c, "KUBE-CLUSTER-IP", ipsetKeyOf(c.sets.get("KUBE-CLUSTER-IP")!, ["dst"], parsed.packet)!).kind).toBe("absent");
  });

  test("errors carry line and column", () => {
    const r = parseIpsetSave("create s hash:ip family inet\nadd s 10.0.0.300\nadd t 1.2.3.4\nflush s\n", "x.save");
    expect(r.ok ? [] : r.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.message}`)).toEqual([
      '2:7 "10.0.0.300" is not a valid ip for hash:ip',
      '3:5 set "t" is added to before it is created',
      '4:1 expected "create" or "add", not "flush"',
    ]);
  });
});
