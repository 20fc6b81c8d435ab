/**
 * Connection-tracking state names and bits, shared by `-m conntrack
 * --ctstate` and `-m state --state`. The bits are the kernel's
 * (XT_CONNTRACK_STATE_BIT(ctinfo) = 1 << (ctinfo + 1), INVALID = 1).
 */
import type { Token } from "../../parse/syntax.js";
import type { ConntrackView } from "../semantics.js";
import type { ParseContext } from "../types.js";

/** In the order iptables-save prints them. */
export const CT_STATES = [
  ["INVALID", 1 << 0],
  ["NEW", 1 << 3],
  ["RELATED", 1 << 2],
  ["ESTABLISHED", 1 << 1],
  ["UNTRACKED", 1 << 8],
  ["SNAT", 1 << 9],
  ["DNAT", 1 << 10],
] as const;
export type CtStateName = (typeof CT_STATES)[number][0];

/** The order the parsers try names in, which decides what a prefix such as `s` means. */
const PARSE_ORDER: readonly CtStateName[] = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"];
const BIT: ReadonlyMap<string, number> = new Map(CT_STATES);

/**
 * A comma list of names as libxt_conntrack reads it: each word matched
 * case-insensitively as a prefix of a name (strncasecmp over the word's length),
 * so `est` is ESTABLISHED; `names` limits the accepted ones (`-m state` has no SNAT/DNAT).
 */
export function parseNameList<N extends string>(ctx: ParseContext, token: Token, names: readonly N[], bit: (name: N) => number, what: string): number {
  let mask = 0;
  for (const word of token.text.split(",")) {
    const name = word === "" ? undefined : names.find((n) => n.startsWith(word.toUpperCase()));
    if (name === undefined) ctx.fail(token, `bad ${what} "${word}" in "${token.text}"`, "bad-value");
    mask |= bit(name);
  }
  return mask;
}

export function parseCtStates(ctx: ParseContext, token: Token, withNat: boolean): number {
  const names = withNat ? PARSE_ORDER : PARSE_ORDER.filter((n) => n !== "SNAT" && n !== "DNAT");
  return parseNameList(ctx, token, names, (n) => BIT.get(n)!, "state");
}

export function formatCtStates(mask: number): string {
  return CT_STATES.filter(([, bit]) => mask & bit)
    .map(([name]) => name)
    .join(",");
}

const IPS_SRC_NAT = 1 << 4;
const IPS_DST_NAT = 1 << 5;

/** The packet has a conntrack entry (nf_ct_get gives one): not INVALID, not UNTRACKED. */
export function hasEntry(ct: ConntrackView): boolean {
  return ct.state !== "INVALID" && ct.state !== "UNTRACKED";
}

/**
 * conntrack_mt's statebit: the state of the packet's ctinfo (INVALID or UNTRACKED
 * without an entry), plus the virtual SNAT and DNAT states from the entry's status.
 */
export function ctStateBits(ct: ConntrackView): number {
  let bits = BIT.get(ct.state)!;
  if (hasEntry(ct)) {
    if (ct.status & IPS_SRC_NAT) bits |= BIT.get("SNAT")!;
    if (ct.status & IPS_DST_NAT) bits |= BIT.get("DNAT")!;
  }
  return bits;
}

/** `--ctstate` / `--state`: any of the states in `mask`, inverted by `!`. */
export function ctStateMatches(mask: number, negated: boolean, ct: ConntrackView): boolean {
  return ((mask & ctStateBits(ct)) !== 0) !== negated;
}
