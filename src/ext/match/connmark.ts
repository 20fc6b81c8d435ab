/** `-m connmark --mark VALUE[/MASK]` (iptables libxt_connmark revision 1, kernel xt_connmark): the connection's mark, masked, equals VALUE. */
import { markMatch } from "./mark.js";

export const connmark = markMatch("connmark");
