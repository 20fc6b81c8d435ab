import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m tcpmss", [
  ["-p tcp -m tcpmss --mss 42", "="],
  ["-p tcp -m tcpmss --mss 1400:1536", "="],
  ["-p tcp -m tcpmss ! --mss 42:12345", "="],
  ["-p tcp -m tcpmss --mss 1400:", "-p tcp -m tcpmss --mss 1400:65535"],
  ["-p tcp -m tcpmss --mss :1400", "-p tcp -m tcpmss --mss 0:1400"],
  ["-p tcp -m tcpmss --mss 5:5", "-p tcp -m tcpmss --mss 5"],
  ["-p 6 -m tcpmss --mss 0x10", "-p tcp -m tcpmss --mss 16"],
  ["-m tcpmss --mss 42", { error: "bad-protocol" }],
  ["! -p tcp -m tcpmss --mss 5", { error: "bad-protocol" }],
  ["-p udp -m tcpmss --mss 5", { error: "bad-protocol" }],
  ["-p tcp -m tcpmss --mss 42:65536", { error: "bad-value" }],
  ["-p tcp -m tcpmss --mss 65535:1000", { error: "bad-value" }],
  ["-p tcp -m tcpmss", { error: "missing-option" }],
]);
