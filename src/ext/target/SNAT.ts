/** `-j SNAT --to-source [ip[-ip]][:port[-port]]` (libxt_NAT.c, kernel xt_nat). */
import { natTarget } from "./nat-range.js";

export const SNAT = natTarget({
  name: "SNAT",
  kind: "snat",
  rangeOption: "to-source",
  mandatory: true,
  flags: ["random", "random-fully", "persistent"],
  offset: "zeroed",
  hooks: ["POSTROUTING", "INPUT"],
});
