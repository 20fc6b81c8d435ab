/**
 * `-p tcp -j TCPOPTSTRIP [--strip-options LIST]` (libxt_TCPOPTSTRIP, kernel
 * xt_TCPOPTSTRIP): overwrite the listed TCP options with NOPs. Mangle only.
 */
import type { TargetExtension } from "../types.js";
import { parseUIntText } from "../values.js";

/** tcp_optionmap: names iptables accepts for option kinds (saved as numbers). */
const OPTION_NAMES: ReadonlyMap<string, number> = new Map([
  ["wscale", 3],
  ["mss", 2],
  ["sack-permitted", 4],
  ["sack", 5],
  ["timestamp", 8],
  ["md5", 19],
]);

const TCP = 6;

export interface TcpoptstripOptions {
  /** Option kinds 2–255, ascending. */
  readonly kinds: readonly number[];
}

export const TCPOPTSTRIP: TargetExtension<TcpoptstripOptions> = {
  kind: "target",
  name: "TCPOPTSTRIP",
  options: [{ name: "strip-options", args: 1 }],
  tables: ["mangle"],
  parse(uses, ctx) {
    // tcpoptstrip_tg_check: the rule must be for TCP.
    if (ctx.protocol?.value !== TCP || ctx.protocol.negated) ctx.fail(ctx.at, "TCPOPTSTRIP needs -p tcp", "missing-protocol");
    const arg = uses[0]?.args[0];
    if (!arg) return { kinds: [] };
    const kinds = new Set<number>();
    for (const word of arg.text.split(",")) {
      const kind = OPTION_NAMES.get(word) ?? parseUIntText(ctx, arg, word, "TCP option", 0, 255);
      if (kind < 2) ctx.fail(arg, "TCP option kinds 0 and 1 cannot be stripped", "bad-value");
      if (kinds.has(kind)) ctx.fail(arg, `TCP option "${word}" is given twice`, "bad-value");
      kinds.add(kind);
    }
    return { kinds: [...kinds].sort((a, b) => a - b) };
  },
  save: (o) => (o.kinds.length === 0 ? "" : ` --strip-options ${o.kinds.join(",")}`),
  // tcpoptstrip_mangle_packet: the options become NOPs; nothing a rule nfwalk models reads them. XT_CONTINUE.
  apply: (o) => ({ kind: "continue", ...(o.kinds.length > 0 && { note: `TCPOPTSTRIP: TCP options ${o.kinds.join(",")} are replaced with NOPs` }) }),
};
