/** `-j DNAT --to-destination [ip[-ip]][:port[-port[/base]]]` (libxt_NAT.c revision 2, kernel xt_nat). */
import { natTarget } from "./nat-range.js";

export const DNAT = natTarget({
  name: "DNAT",
  kind: "dnat",
  rangeOption: "to-destination",
  mandatory: true,
  flags: ["random", "persistent"],
  offset: "kept",
  hooks: ["PREROUTING", "OUTPUT"],
});
