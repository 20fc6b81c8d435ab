import { describe, expect, test } from "vitest";
import { envOf, verdict } from "../../helpers/match-env.js";
import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables) with ipt-canon.
ruleCases("-m pkttype", [
  ["-m pkttype --pkt-type unicast", "="],
  ["-m pkttype --pkt-type broadcast", "="],
  ["-m pkttype ! --pkt-type multicast", "="],
  ["-m pkttype --pkt-type otherhost", "="],
  ["-m pkttype --pkt-type BROADCAST", "-m pkttype --pkt-type broadcast"],
  ["-m pkttype --pkt-type host", "-m pkttype --pkt-type unicast"],
  ["-m pkttype --pkt-type bcast", "-m pkttype --pkt-type broadcast"],
  ["-m pkttype --pkt-type mcast", "-m pkttype --pkt-type multicast"],
  ["-m pkttype --pkt-type uni", { error: "bad-value" }],
  ["-m pkttype --pkt-type 3", { error: "bad-value" }],
  ["-m pkttype --pkt-type wrong", { error: "bad-value" }],
  ["-m pkttype", { error: "missing-option" }],
]);

describe("-m pkttype semantics (pkttype_mt)", () => {
  test("the frame's addressing on arrival; a locally sent packet is PACKET_HOST", () => {
    expect(verdict("-m pkttype --pkt-type unicast", envOf("udp 10.0.0.2:1 -> 10.0.0.1:2", { in: "eth0" }))).toBe(true);
    expect(verdict("-m pkttype --pkt-type broadcast", envOf("udp 10.0.0.2:1 -> 10.0.0.255:2", { in: "eth0", linkType: "broadcast" }))).toBe(true);
    expect(verdict("-m pkttype ! --pkt-type multicast", envOf("udp 10.0.0.2:1 -> 224.0.0.1:2", { in: "eth0", linkType: "multicast" }))).toBe(false);
    expect(verdict("-m pkttype --pkt-type host", envOf("udp 10.0.0.1:1 -> 10.0.0.255:2", { hook: "OUTPUT" }), { chain: "OUTPUT" })).toBe(true);
    expect(verdict("-m pkttype --pkt-type otherhost", envOf("udp 10.0.0.2:1 -> 10.0.0.1:2", { in: "eth0" }))).toBe(false);
  });
});
