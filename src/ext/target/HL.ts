/** `-j HL --hl-set|--hl-dec|--hl-inc N` (libip6t_HL, kernel xt_HL): IPv6 only. */
import { hopLimitTarget } from "./ttl-hl.js";

export const HL = hopLimitTarget("HL", "ipv6");
