/** `-j MASQUERADE [--to-ports port[-port]]`: SNAT to the out interface's address (libxt_NAT.c, kernel xt_MASQUERADE). */
import { natTarget } from "./nat-range.js";

export const MASQUERADE = natTarget({
  name: "MASQUERADE",
  kind: "masquerade",
  rangeOption: "to-ports",
  mandatory: false,
  flags: ["random", "random-fully"],
  offset: "zeroed",
  hooks: ["POSTROUTING"],
});
