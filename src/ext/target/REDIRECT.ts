/** `-j REDIRECT [--to-ports port[-port]]`: DNAT to the host itself (libxt_NAT.c, kernel xt_REDIRECT). */
import { natTarget } from "./nat-range.js";

export const REDIRECT = natTarget({
  name: "REDIRECT",
  kind: "redirect",
  rangeOption: "to-ports",
  mandatory: false,
  flags: ["random"],
  offset: "refused",
  hooks: ["PREROUTING", "OUTPUT"],
});
