import { ruleCases } from "../../helpers/rule-cases.js";

// Checked with iptables-restore / iptables-save 1.8.9 (nf_tables) in a namespace, with
// RATEEST estimators RE1 and RE2 defined in another table (the kernel refuses unknown names).
ruleCases("-m rateest", [
  ["-m rateest --rateest RE1 --rateest-lt --rateest-bps 8bit", "="],
  ["-m rateest --rateest RE1 --rateest-gt --rateest-bps 5kbit", "-m rateest --rateest RE1 --rateest-gt --rateest-bps 5000bit"],
  ["-m rateest --rateest RE1 --rateest-gt --rateest-bps 1mbps", "-m rateest --rateest RE1 --rateest-gt --rateest-bps 8000Kbit"],
  ["-m rateest --rateest RE1 --rateest-gt --rateest-bps 12345", "-m rateest --rateest RE1 --rateest-gt --rateest-bps 12344bit"],
  ["-m rateest --rateest RE1 --rateest-gt --rateest-bps 1500kbit", "-m rateest --rateest RE1 --rateest-gt --rateest-bps 1500Kbit"],
  ["-m rateest --rateest RE1 --rateest-eq --rateest-pps 5", "="],
  ["-m rateest --rateest1 RE1 --rateest-lt --rateest-bps --rateest2 RE2", "="],
  ["-m rateest --rateest-delta --rateest1 RE1 --rateest-pps1 0 --rateest-lt --rateest-pps2 42 --rateest2 RE2", "="],
  ["-m rateest --rateest-delta --rateest RE1 --rateest-bps1 8bit --rateest-lt --rateest-bps2 16bit", "="],
  ["-m rateest --rateest RE1 --rateest-bps 8bit", { error: "missing-option" }],
  ["-m rateest --rateest RE1 --rateest-lt", { error: "missing-option" }],
  ["-m rateest --rateest-lt --rateest-bps 8bit", { error: "missing-option" }],
  ["-m rateest --rateest RE1 --rateest-lt --rateest-bps 8furlongs", { error: "bad-value" }],
  ["-m rateest ! --rateest RE1 --rateest-lt --rateest-bps 8bit", { error: "bad-negation" }],
]);
