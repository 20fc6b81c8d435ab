/**
 * The chain walk of one table at one hook over set flows, beside the
 * concrete one (src/engine/walk.ts), with the same kernel rules: rules in
 * order, -j returns to the next rule, -g does not, RETURN or the end of a
 * user chain goes back, a built-in chain ends in its policy. At each rule a
 * flow splits into the packets the rule matches (they take its action), the
 * packets nfwalk cannot decide (they end undetermined: never a guess), and
 * the rest (they go on).
 */
import type { HostView, MatchEnv, NatRequest, TargetEffect } from "../ext/semantics.js";
import type { SetHostView, SetMatchEnv, SetMatchResult } from "../ext/set-semantics.js";
import { headerSet } from "../ext/header.js";
import type { Hook } from "../model/types.js";
import type { Chain, Rule, Table } from "../ruleset/types.js";
import { EMPTY, EVERYTHING, intersect, isEmpty, minus, union, type PacketSet } from "./packet-set.js";
import { joinFlows, matchEnv, representative, restrict, type SetFlow } from "./flow.js";
import { packetAt, pointOf } from "./text.js";

export type SetWalkEnd =
  | { readonly kind: "accept" }
  | { readonly kind: "drop"; readonly reason: string }
  | { readonly kind: "reject"; readonly reply: string }
  | { readonly kind: "nat"; readonly request: NatRequest }
  | { readonly kind: "unknown"; readonly reason: string };

export interface SetWalkResult {
  readonly flow: SetFlow;
  readonly end: SetWalkEnd;
}

export interface SetWalkContext {
  readonly host: HostView;
  readonly setHost: SetHostView;
  readonly socket: MatchEnv["socket"];
}

interface ChainResult {
  readonly ended: SetWalkResult[];
  /** Flows that left the chain by RETURN or its end (for a built-in chain: by RETURN only). */
  readonly returned: SetFlow[];
}

export function walkHookSet(ctx: SetWalkContext, table: Table, hook: Hook, flow: SetFlow): SetWalkResult[] {
  const chain = table.chainsByName.get(hook);
  if (!chain || (chain.line === null && chain.rules.length === 0)) return [{ flow, end: { kind: "accept" } }];
  const { ended, returned } = walkChain(ctx, table, hook, chain, [flow]);
  // RETURN from the built-in chain (or a chain it reached by -g): the policy decides.
  return [...ended, ...returned.map((f) => policyEnd(table, chain, f))];
}

function policyEnd(table: Table, chain: Chain, flow: SetFlow): SetWalkResult {
  return { flow, end: chain.policy === "DROP" ? { kind: "drop", reason: `policy DROP of ${table.name} ${chain.name}` } : { kind: "accept" } };
}

function walkChain(ctx: SetWalkContext, table: Table, hook: Hook, chain: Chain, flows: readonly SetFlow[]): ChainResult {
  const ended: SetWalkResult[] = [];
  const returned: SetFlow[] = [];
  let live = [...flows];
  for (const rule of chain.rules) {
    if (live.length === 0) break;
    const next: SetFlow[] = [];
    for (const flow of live) {
      const { matched, unknown, reason } = splitByRule(ctx, rule, hook, table, flow);
      if (!isEmpty(unknown)) ended.push({ flow: { ...flow, set: unknown }, end: { kind: "unknown", reason: `${table.name} ${chain.name} rule ${rule.number} (line ${rule.line}): ${reason}` } });
      const rest = isEmpty(unknown) ? minus(flow.set, matched) : isEmpty(matched) ? minus(flow.set, unknown) : minus(flow.set, union(matched, unknown));
      if (!isEmpty(rest)) next.push({ ...flow, set: rest });
      if (!isEmpty(matched)) act(ctx, table, hook, chain, rule, { ...flow, set: matched }, next, ended, returned);
    }
    live = joinFlows(next);
  }
  if (chain.policy) for (const f of live) ended.push(policyEnd(table, chain, f));
  else returned.push(...live);
  return { ended, returned };
}

/** What one rule does with the packets it matches. */
function act(ctx: SetWalkContext, table: Table, hook: Hook, chain: Chain, rule: Rule, flow: SetFlow, next: SetFlow[], ended: SetWalkResult[], returned: SetFlow[]): void {
  const action = rule.action;
  if (!action) {
    next.push(flow);
    return;
  }
  if (action.kind === "jump" || action.kind === "goto") {
    const sub = walkChain(ctx, table, hook, table.chainsByName.get(action.chain)!, [flow]);
    ended.push(...sub.ended);
    (action.kind === "jump" ? next : returned).push(...sub.returned);
    return;
  }
  const { extension, options } = action.target;
  const packet = representative(flow);
  const effect: TargetEffect = extension.apply
    ? extension.apply(options, matchEnv(flow, packet, hook, table.name, ctx.host, ctx.socket))
    : { kind: "unknown", reason: `nfwalk does not model the target ${extension.name}` };
  switch (effect.kind) {
    case "continue": {
      const changed = effect.rewrite ? effect.rewrite(packet) : packet;
      // A target may change the fields a set flow shares (TTL, TOS), not those it holds as a set.
      if (changed !== packet && pointOf(changed).some((v, i) => v !== pointOf(packet)[i])) {
        ended.push({ flow, end: { kind: "unknown", reason: `${extension.name} rewrites addresses or ports, which the set walk does not follow` } });
        return;
      }
      next.push({ ...flow, meta: effect.update ? effect.update(flow.meta) : flow.meta, fixed: { ...flow.fixed, ttl: changed.ttl, tos: changed.tos } });
      return;
    }
    case "return":
      returned.push(flow);
      return;
    case "accept":
      ended.push({ flow, end: { kind: "accept" } });
      return;
    case "drop":
      ended.push({ flow, end: { kind: "drop", reason: `rule ${rule.number} of ${table.name} ${chain.name} (line ${rule.line}) drops it` } });
      return;
    case "reject":
      ended.push({ flow, end: { kind: "reject", reply: effect.reply } });
      return;
    case "nat":
      ended.push({ flow, end: { kind: "nat", request: effect.request } });
      return;
    case "queue":
      ended.push({ flow, end: { kind: "unknown", reason: effect.description } });
      return;
    case "unknown":
      ended.push({ flow, end: { kind: "unknown", reason: effect.reason } });
      return;
  }
}

/** Header sets by rule and interface pair: the same for every flow with those interfaces. */
const headerCache = new WeakMap<Rule, Map<string, PacketSet | undefined>>();

function ruleHeader(rule: Rule, flow: SetFlow): PacketSet | undefined {
  let byInterfaces = headerCache.get(rule);
  if (!byInterfaces) headerCache.set(rule, (byInterfaces = new Map()));
  const key = `${flow.inInterface ?? ""}\u0000${flow.outInterface ?? ""}`;
  if (byInterfaces.has(key)) return byInterfaces.get(key);
  const set = headerSet(rule.header, flow.inInterface, flow.outInterface);
  byInterfaces.set(key, set);
  return set;
}

/**
 * The flow's packets the rule matches, and those it cannot decide: three-valued
 * AND over the header and every match (a false match decides, as the kernel
 * stops at it).
 */
function splitByRule(ctx: SetWalkContext, rule: Rule, hook: Hook, table: Table, flow: SetFlow): { matched: PacketSet; unknown: PacketSet; reason: string } {
  const header = ruleHeader(rule, flow);
  if (header === undefined) return { matched: EMPTY, unknown: flow.set, reason: "an address mask with too many holes to list" };
  let yes = restrict(flow, header);
  let maybe: PacketSet = EMPTY;
  let reason = "";
  if (isEmpty(yes) || rule.matches.length === 0) return { matched: yes, unknown: EMPTY, reason };
  const packet = representative(flow);
  const env = matchEnv(flow, packet, hook, table.name, ctx.host, ctx.socket);
  const setEnv: SetMatchEnv = {
    concrete: env,
    host: ctx.setHost,
    probe: (protocol) => ({ ...env, packet: packetAt([protocol, ...pointOf(packet).slice(1)], flow.fixed) }),
  };
  for (const use of rule.matches) {
    const ext = use.extension;
    const result: SetMatchResult = ext.matchSet
      ? ext.matchSet(use.options, setEnv)
      : { match: EMPTY, unknown: { set: EVERYTHING, reason: `-m ${ext.name} has no interpretation over packet sets` } };
    const holds = restrict(flow, result.match);
    const open = result.unknown ? union(holds, restrict(flow, result.unknown.set)) : holds;
    const before = maybe;
    maybe = minus(intersect(union(yes, maybe), open), intersect(yes, holds));
    yes = intersect(yes, holds);
    if (!isEmpty(maybe) && isEmpty(before) && result.unknown) reason = result.unknown.reason;
    if (isEmpty(yes) && isEmpty(maybe)) break;
  }
  return { matched: yes, unknown: maybe, reason };
}
