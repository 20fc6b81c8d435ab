/** `-m hl` (iptables libip6t_hl, kernel ip6t_hl): compares the IPv6 hop limit with a number. */
import { hopLimitMatch } from "./ttl.js";

export const hl = hopLimitMatch("hl", "ipv6");
