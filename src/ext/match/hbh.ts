/** `-m hbh` (libip6t_hbh): the IPv6 hop-by-hop options header; see ip6-opts.ts. */
import { ip6OptsMatch } from "./ip6-opts.js";

export const hbh = ip6OptsMatch("hbh");
