import { ruleCases } from "../../helpers/rule-cases.js";

// From libxt_ipvs's save (ipvs_mt_dump); the kernel's xt_ipvs is not built here to check against.
ruleCases("-m ipvs", [
  ["-m ipvs --ipvs", "="],
  ["-m ipvs ! --ipvs", "="],
  ["-m ipvs --ipvs --vproto tcp", "-m ipvs --vproto 6"],
  ["-m ipvs ! --vproto TCP", "-m ipvs ! --vproto 6"],
  ["-m ipvs --vaddr 1.2.3.4/32", "-m ipvs --vaddr 1.2.3.4"],
  ["-m ipvs ! --vaddr 1.2.3.4/255.255.255.0", "-m ipvs ! --vaddr 1.2.3.4/24"],
  ["-m ipvs --vport http --vdir reply --vmethod masq", "-m ipvs --vport 80 --vdir REPLY --vmethod MASQ"],
  ["-m ipvs --vproto 6 --vaddr 1.2.3.4/16 --vport 22 --vdir ORIGINAL --vmethod GATE", "="],
  ["-m ipvs", { error: "missing-option" }],
  ["-m ipvs --vdir SIDEWAYS", { error: "bad-value" }],
  ["-m ipvs ! --vdir REPLY", { error: "bad-negation" }],
  ["-m ipvs --vmethod TUNNEL", { error: "bad-value" }],
  ["-m ipvs --vproto nosuch", { error: "unknown-protocol" }],
  ["-m ipvs --vport 65536", { error: "bad-value" }],
]);
ruleCases("-m ipvs (IPv6)", [["-m ipvs ! --vaddr 2001:db8::/64", "="]], { family: "ipv6" });
