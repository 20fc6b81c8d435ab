/**
 * `-m state --state LIST` (iptables libxt_conntrack's state alias, kernel
 * xt_conntrack): the packet's connection-tracking state is one of LIST.
 */
import type { MatchExtension } from "../types.js";
import { whole } from "../set-semantics.js";
import { ctStateBits, ctStateMatches, formatCtStates, parseCtStates } from "./ct-state.js";

export interface StateOptions {
  /** Bit set of CT_STATES (no SNAT/DNAT here). */
  readonly states: number;
  readonly negated: boolean;
}

export const state: MatchExtension<StateOptions> = {
  kind: "match",
  name: "state",
  tracksConnections: () => true,
  options: [{ name: "state", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m state needs --state", "missing-option");
    return { states: parseCtStates(ctx, use.args[0]!, false), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --state ${formatCtStates(o.states)}`,
  /** conntrack_mt with only XT_CONNTRACK_STATE (iptables loads -m state as conntrack): INVALID and UNTRACKED are states too. */
  match: (o, env) => ctStateMatches(o.states, o.negated, env.conntrack),
  /** The state is the connection's: one for every packet the set walk holds together. */
  matchSet: (o, env) => whole(ctStateMatches(o.states, o.negated, env.concrete.conntrack)),
  explain: {
    packetHas: (_, env) => `its connection state is ${formatCtStates(ctStateBits(env.conntrack))}`,
  },
};
