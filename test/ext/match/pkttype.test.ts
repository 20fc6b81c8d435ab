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
