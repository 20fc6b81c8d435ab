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
import { boxOf, EMPTY, EVERYTHING, FIELD_INDEX, intersect, isEmpty, merge, minus, union, type Box, type PacketSet } from "./packet-set.js";
import * as iv from "./intervals.js";
import { PORT_PROTOCOLS } from "../ext/set-semantics.js";
import { joinFlows, matchEnv, pullBack, representative, restrict, type SetFlow } from "./flow.js";
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
  const rules = chain.rules;
  const blocks = blocksOf(chain);
  let live = [...flows];
  for (let i = 0; i < rules.length && live.length > 0; ) {
    const end = blocks.end[i]!;
    const next: SetFlow[] = [];
    if (end > i + 1) {
      for (const flow of live) next.push(...walkBlock(ctx, table, hook, chain, blocks, i, end, flow, ended, returned));
    } else {
      const rule = rules[i]!;
      for (const flow of live) {
        const { matched, unknown, rest, reason } = splitByRule(ctx, rule, hook, table, flow);
        if (!isEmpty(unknown)) ended.push(undecided(table, chain, rule, flow, unknown, reason));
        if (!isEmpty(rest)) next.push({ ...flow, set: rest });
        if (!isEmpty(matched)) act(ctx, table, hook, chain, rule, { ...flow, set: matched }, next, ended, returned);
      }
    }
    live = joinFlows(next);
    i = end;
  }
  if (chain.policy) for (const f of live) ended.push(policyEnd(table, chain, f));
  else returned.push(...live);
  return { ended, returned };
}

function undecided(table: Table, chain: Chain, rule: Rule, flow: SetFlow, set: PacketSet, reason: string): SetWalkResult {
  return { flow: { ...flow, set }, end: { kind: "unknown", reason: `${table.name} ${chain.name} rule ${rule.number} (line ${rule.line}): ${reason}` } };
}

/**
 * Runs of rules that each require one destination address (`-d A/32`) or one
 * destination port (`--dport P`), as kube-proxy writes a rule per service:
 * rules of different values match disjoint packets, so within a run a rule
 * competes only with the earlier rules of its own value, and what passes the
 * whole run is computed once. Without this a run of n rules costs n² box
 * operations.
 */
interface Blocks {
  /** For each rule, where its run ends (the next index for a rule outside a run). */
  readonly end: Int32Array;
  readonly field: ("dst" | "dport" | undefined)[];
  readonly value: Float64Array;
}

/** Runs shorter than this are walked rule by rule. */
const MIN_BLOCK = 8;

const blockCache = new WeakMap<Chain, Blocks>();

function blocksOf(chain: Chain): Blocks {
  let blocks = blockCache.get(chain);
  if (blocks) return blocks;
  const n = chain.rules.length;
  const field: ("dst" | "dport" | undefined)[] = [];
  const value = new Float64Array(n);
  chain.rules.forEach((rule, i) => {
    const address = pointDestination(rule);
    const port = address === undefined ? requiredPort(rule) : undefined;
    field.push(address !== undefined ? "dst" : port !== undefined ? "dport" : undefined);
    value[i] = address ?? port ?? -1;
  });
  const end = new Int32Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (field[i] !== undefined && j < n && field[j] === field[i]) j++;
    for (let k = i; k < j; k++) end[k] = j - i >= MIN_BLOCK ? j : k + 1;
    i = j;
  }
  blockCache.set(chain, (blocks = { end, field, value }));
  return blocks;
}

/** The address of a plain `-d A/32`. */
function pointDestination(rule: Rule): number | undefined {
  const d = rule.header.destination;
  return d && !d.negated && d.value.family === "ipv4" && d.value.mask >>> 0 === 0xffffffff ? d.value.address >>> 0 : undefined;
}

/** The one destination port a match requires (it is false for any other port and for packets without ports). */
function requiredPort(rule: Rule): number | undefined {
  for (const use of rule.matches) {
    const port = use.extension.requiredDestinationPort?.(use.options);
    if (port !== undefined) return port;
  }
  return undefined;
}

/** Whether some packet of the flow has `value` in `field` (as the header is now). */
function flowHas(flow: SetFlow, field: "dst" | "dport", value: number): boolean {
  const i = FIELD_INDEX[field];
  const fixed = flow.rewrite[i];
  if (fixed !== undefined) return fixed === value;
  return flow.set.some((box) => iv.hasValue(box[i]!, value));
}

/** Walks rules [from, to) of one run for one flow; returns the flows that reach `to`. */
function walkBlock(ctx: SetWalkContext, table: Table, hook: Hook, chain: Chain, blocks: Blocks, from: number, to: number, flow: SetFlow, ended: SetWalkResult[], returned: SetFlow[]): SetFlow[] {
  const field = blocks.field[from]!;
  const out: SetFlow[] = [];
  let current = flow;
  if (field === "dport") {
    // Rules that require a port never match a packet without ports: those pass the run untouched.
    const portless = restrict(flow, boxOf({ proto: iv.minus([0, 255], PORT_PROTOCOLS) }));
    if (!isEmpty(portless)) out.push({ ...flow, set: portless });
    current = { ...flow, set: restrict(flow, boxOf({ proto: PORT_PROTOCOLS })) };
    if (isEmpty(current.set)) return out;
  }
  /** By value: the packets the run's rules of that value took so far. */
  const taken = new Map<number, PacketSet>();
  for (let k = from; k < to; k++) {
    const value = blocks.value[k]!;
    if (!flowHas(current, field, value)) continue;
    const rule = chain.rules[k]!;
    const split = splitByRule(ctx, rule, hook, table, current);
    let { matched, unknown } = split;
    const before = taken.get(value);
    if (before) {
      matched = minus(matched, before);
      unknown = minus(unknown, before);
    }
    const region = union(matched, unknown);
    if (!isEmpty(region)) taken.set(value, before ? union(before, region) : region);
    if (!isEmpty(unknown)) ended.push(undecided(table, chain, rule, current, unknown, split.reason));
    if (isEmpty(matched)) continue;
    const goOn: SetFlow[] = [];
    act(ctx, table, hook, chain, rule, { ...current, set: matched }, goOn, ended, returned);
    for (const f of goOn) out.push(...(k + 1 < to ? walkBlock(ctx, table, hook, chain, blocks, k + 1, to, f, ended, returned) : [f]));
  }
  const rest = passing(current, field, taken);
  if (!isEmpty(rest)) out.push({ ...current, set: rest });
  return out;
}

/** The flow's packets no rule of the run took: those without a taken value, and for each value those its rules left. */
function passing(flow: SetFlow, field: "dst" | "dport", taken: ReadonlyMap<number, PacketSet>): PacketSet {
  if (taken.size === 0) return flow.set;
  const i = FIELD_INDEX[field];
  if (flow.rewrite[i] !== undefined) return minus(flow.set, [...taken.values()].flat());
  const values = iv.fromRanges([...taken.keys()].map((v): [number, number] => [v, v]));
  const boxes: Box[] = [];
  for (const box of flow.set) {
    const others = iv.minus(box[i]!, values);
    if (others.length > 0) boxes.push(box.map((list, j) => (j === i ? others : list)));
  }
  for (const [value, set] of taken) {
    const at = flow.set.filter((box) => iv.hasValue(box[i]!, value)).map((box) => box.map((list, j) => (j === i ? [value, value] : list)));
    boxes.push(...minus(at, set));
  }
  return merge(boxes);
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
function splitByRule(ctx: SetWalkContext, rule: Rule, hook: Hook, table: Table, flow: SetFlow): { matched: PacketSet; unknown: PacketSet; rest: PacketSet; reason: string } {
  const header = ruleHeader(rule, flow);
  if (header === undefined) return { matched: EMPTY, unknown: flow.set, rest: EMPTY, reason: "an address mask with too many holes to list" };
  let yes = restrict(flow, header);
  let maybe: PacketSet = EMPTY;
  let reason = "";
  /** The headers (as they are now) the rule may match: the rest is what it surely does not (a small set, unlike the flow's parts). */
  let reachable = header;
  const rest = () => intersect(flow.set, pullBack(minus(EVERYTHING, reachable), flow.rewrite));
  if (isEmpty(yes)) return { matched: EMPTY, unknown: EMPTY, rest: flow.set, reason };
  if (rule.matches.length === 0) return { matched: yes, unknown: EMPTY, rest: rest(), reason };
  const packet = representative(flow);
  const env = matchEnv(flow, packet, hook, table.name, ctx.host, ctx.socket);
  const setEnv: SetMatchEnv = {
    concrete: env,
    host: ctx.setHost,
    probe: (protocol) => ({ ...env, packet: packetAt([protocol, ...pointOf(packet).slice(1)], flow.fixed) }),
  };
  for (const use of rule.matches) {
    const ext = use.extension;
    const result: SetMatchResult = ext.matchSet ? ext.matchSet(use.options, setEnv) : { match: EMPTY, unknown: { set: EVERYTHING, reason: `-m ${ext.name} has no interpretation over packet sets` } };
    // Against the match's own (small) sets: the flow's parts are never intersected with each other.
    const holds = pullBack(result.match, flow.rewrite);
    const open = result.unknown ? pullBack(result.unknown.set, flow.rewrite) : EMPTY;
    const undecidedNow = isEmpty(open) ? EMPTY : intersect(yes, open);
    const stillUndecided = isEmpty(maybe) ? EMPTY : intersect(maybe, isEmpty(open) ? holds : union(holds, open));
    if (isEmpty(maybe) && !isEmpty(undecidedNow) && result.unknown) reason = result.unknown.reason;
    yes = intersect(yes, holds);
    maybe = merge([...undecidedNow, ...stillUndecided]);
    if (isEmpty(yes) && isEmpty(maybe)) return { matched: EMPTY, unknown: EMPTY, rest: flow.set, reason };
    reachable = intersect(reachable, isEmpty(open) ? result.match : union(result.match, result.unknown!.set));
  }
  return { matched: yes, unknown: maybe, rest: rest(), reason };
}
