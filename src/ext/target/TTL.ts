/** `-j TTL --ttl-set|--ttl-dec|--ttl-inc N` (libipt_TTL, kernel xt_HL): IPv4 only. */
import { hopLimitTarget } from "./ttl-hl.js";

export const TTL = hopLimitTarget("TTL", "ipv4");
