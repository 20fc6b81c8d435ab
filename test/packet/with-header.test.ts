import { describe, expect, test } from "vitest";
import { withMeta, type Meta } from "../../src/ext/semantics.js";
import { hasPorts, withHeader, withPorts, type Packet } from "../../src/packet/packet.js";
import { parsePacketSpec } from "../../src/packet/spec.js";

function packet(text: string): Packet {
  const parsed = parsePacketSpec(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.packet;
}

const tcp = packet("tcp 10.0.0.2:40000 -> 10.0.0.1:80 [flags SYN,ACK] [ttl 9] [tos 4] [length 60] [frag 3]");
const udp = packet("udp [2001:db8::2]:5353 -> [2001:db8::1]:53");

// The engine reads every packet, transport header and metadata at every rule: each rewrite must
// give the object the reader (or the initial metadata) gives, field for field and in its order,
// so they all keep one shape.
describe("rewritten headers keep the reader's fields and order", () => {
  test("withHeader changes what it is given and keeps the rest", () => {
    const other = packet("tcp 192.0.2.7:1 -> 192.0.2.8:2");
    for (const change of [{}, { src: other.src }, { dst: other.dst }, { transport: other.transport }, { ttl: 1 }, { tos: 0 }, { src: other.dst, dst: other.src, ttl: 64 }]) {
      const changed = withHeader(tcp, change);
      expect(changed).toEqual({ ...tcp, ...change });
      expect(Object.keys(changed)).toEqual(Object.keys(tcp));
    }
  });

  test("withPorts: new ports, TCP flags kept or given, the reader's keys", () => {
    if (!hasPorts(tcp.transport) || !hasPorts(udp.transport)) throw new Error("expected ports");
    const swapped = withPorts(tcp.transport, 80, 40000);
    expect(swapped).toEqual({ kind: "tcp", sport: 80, dport: 40000, flags: 0x12 });
    expect(Object.keys(swapped)).toEqual(Object.keys(tcp.transport));
    expect(withPorts(tcp.transport, 1, 2, 0x10)).toEqual({ kind: "tcp", sport: 1, dport: 2, flags: 0x10 });
    const udpSwapped = withPorts(udp.transport, 53, 5353);
    expect(udpSwapped).toEqual({ kind: "udp", sport: 53, dport: 5353 });
    expect(Object.keys(udpSwapped)).toEqual(Object.keys(udp.transport));
  });

  test("withMeta changes what it is given; a helper once named stays", () => {
    const meta: Meta = { mark: 1, connmark: 2, untracked: false, zone: 3, helper: "ftp" };
    expect(withMeta(meta, { mark: 0 })).toEqual({ ...meta, mark: 0 });
    expect(withMeta(meta, { mark: 5, connmark: 0 })).toEqual({ ...meta, mark: 5, connmark: 0 });
    expect(withMeta(meta, { untracked: true, zone: 0 })).toEqual({ ...meta, untracked: true, zone: 0 });
    expect(withMeta(meta, { helper: "sip" })).toEqual({ ...meta, helper: "sip" });
    expect(withMeta({ ...meta, helper: undefined }, {})).toEqual({ ...meta, helper: undefined });
    expect(Object.keys(withMeta(meta, {}))).toEqual(Object.keys(meta));
  });
});
