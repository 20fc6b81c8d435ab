import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m tcp", [
  ["-p tcp -m tcp --sport 1", "="],
  ["-p tcp -m tcp --sport 1024:", "-p tcp -m tcp --sport 1024:65535"],
  ["-p tcp -m tcp --sport :1023", "-p tcp -m tcp --sport 0:1023"],
  ["-p tcp -m tcp --sport 0:65535", "-p tcp -m tcp"],
  ["-p tcp -m tcp ! --dport 80", "="],
  ["-p tcp --dport http", "-p tcp -m tcp --dport 80"],
  ["-p tcp --destination-port 22:25", "-p tcp -m tcp --dport 22:25"],
  ["-p tcp --dport www:ssh", { error: "bad-port" }],
  ["-p tcp --dport 65536", { error: "bad-port" }],
  ["-p tcp --syn", "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["-p tcp ! --syn", "-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN"],
  ["-p tcp --tcp-flags ALL NONE", "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE"],
  ["-p tcp --tcp-flags syn,ack SYN,ACK", "-p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK"],
  ["-p tcp --tcp-flags SYN,ECE SYN", { error: "bad-value" }],
  ["-p tcp --tcp-flags SYN,BOGUS SYN", { error: "bad-value" }],
  ["-p tcp --tcp-option 2", "-p tcp -m tcp --tcp-option 2"],
  ["-p tcp --tcp-option 0", { error: "bad-value" }],
  ["-p tcp --dport 80 --sport 1", "-p tcp -m tcp --sport 1 --dport 80"],
  ["-p tcp --dprot 80", { error: "unknown-option" }],
  ["-p 6 --dport 80", "-p tcp -m tcp --dport 80"],
  // iptables-nft reads repeated tcp matches back as one, wherever they stand.
  ["-p tcp -m tcp --dport 2 -m comment --comment x -m tcp --sport 1", "-p tcp -m tcp --sport 1 --dport 2 -m comment --comment x"],
  ["-p tcp -m tcp --syn -m tcp --dport 2", "-p tcp -m tcp --dport 2 --tcp-flags FIN,SYN,RST,ACK SYN"],
]);
