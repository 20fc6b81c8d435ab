/** `-m dst` (libip6t_dst): the IPv6 destination options header; see ip6-opts.ts. */
import { ip6OptsMatch } from "./ip6-opts.js";

export const dst = ip6OptsMatch("dst");
