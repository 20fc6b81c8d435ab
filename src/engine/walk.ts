/**
 * The chain walk of one table at one hook, as ipt_do_table does it: rules in
 * order, -j pushes a return point, -g does not, RETURN (or falling off a
 * user chain) goes back to the last return point, and a built-in chain that
 * runs out applies its policy. An unknown match forks the walk.
 */
import type { HostView, MatchEnv, MatchResult, NatRequest, TargetEffect, TargetEnv, Unknown } from "../ext/semantics.js";
import { isUnknown } from "../ext/semantics.js";
import type { Hook, Policy, TableName } from "../model/types.js";
import type { Chain, Rule, Table } from "../ruleset/types.js";
import type { PolicyStep, RuleStep, UnknownStep } from "./types.js";
import { chainIndex, nextCandidate, type ChainIndex } from "./chain-index.js";
import { conntrackView, forkFlow, type Flow } from "./flow.js";
import { headerMatches } from "../ext/header.js";

export type WalkEnd =
  | { readonly kind: "accept" }
  | { readonly kind: "drop"; readonly reason: string }
  | { readonly kind: "reject"; readonly reply: string }
  | { readonly kind: "nat"; readonly request: NatRequest }
  | { readonly kind: "unknown"; readonly reason: string };

export interface WalkResult {
  readonly flow: Flow;
  readonly end: WalkEnd;
}

/** Decides unknown matches the user pinned (`--assume`), by extension name or rule line. */
export type Assumptions = (rule: Rule, unknown: Unknown, extension: string) => boolean | undefined;

export interface WalkContext {
  readonly host: HostView;
  readonly assume: Assumptions;
  /** Forks left before nfwalk stops exploring; shared by every walk of one trace. */
  readonly budget: { forks: number };
  readonly socket: MatchEnv["socket"];
}

/** Where a walk goes on: a chain and the position of a rule in it (the end: its policy, or back to the caller). */
interface Position {
  readonly chain: Chain;
  readonly index: number;
}

const ACCEPT: WalkEnd = { kind: "accept" };

/**
 * One table's walk at one hook, the same for every trace of the ruleset. A rule or policy step
 * says only which rule or policy was taken at which hook, so each is made once and every trace
 * taking it holds that object: fewer objects a trace, and the JSON of a step is written once
 * (trace/json-line.ts). Steps are read-only data, so sharing them changes nothing a reader sees.
 */
interface TableAtHook {
  readonly table: Table;
  readonly hook: Hook;
  /** The rules taken at this hook so far (a few thousand at most of a large table). */
  readonly taken: Map<Rule, TakenRule>;
  readonly policySteps: Map<Chain, PolicyStep>;
}

/**
 * A rule as the walks at one hook take it: its step, and the chain its -j or -g goes to, found
 * by name once (a large table's map of chains is a memory miss a lookup; this map is small).
 */
interface TakenRule {
  readonly step: RuleStep;
  readonly next: Chain | undefined;
}

const tablesAtHooks = new WeakMap<Table, Map<Hook, TableAtHook>>();

function tableAtHook(table: Table, hook: Hook): TableAtHook {
  let byHook = tablesAtHooks.get(table);
  if (byHook === undefined) tablesAtHooks.set(table, (byHook = new Map()));
  let at = byHook.get(hook);
  if (at === undefined) byHook.set(hook, (at = { table, hook, taken: new Map(), policySteps: new Map() }));
  return at;
}

export function walkHook(ctx: WalkContext, table: Table, hook: Hook, flow: Flow): WalkResult[] {
  const chain = table.chainsByName.get(hook);
  // iptables-nft creates a built-in chain only when the dump declares it or adds rules to it.
  if (!chain || (chain.line === null && chain.rules.length === 0)) return [{ flow, end: ACCEPT }];
  // Only when the trace records (Flow.seen): plain traces build nothing here.
  flow.seen?.push({ hook, table: table.name, env: targetEnv(ctx, table, hook, flow) });
  return run(ctx, tableAtHook(table, hook), chain, 0, [], flow, undefined);
}

/** An unknown match result, and the extension that gave it. */
interface UnknownMatch {
  readonly result: Unknown;
  readonly extension: string;
}

/** Where a rule failed to match: its header (-s -d -i -o -p -f, tested first), else the index of its first failing match. */
const HEADER_FAILED = -1;

/**
 * What the rule's matches say: true, or where it failed (HEADER_FAILED or the
 * failing match's index); failing wins over unknown, as the kernel stops at the
 * first failing match. A plain number when known (this runs for every rule a
 * packet meets, so it allocates nothing).
 */
function evaluate(rule: Rule, env: MatchEnv): true | number | UnknownMatch {
  if (!headerMatches(rule.header, env.packet, env.inInterface, env.outInterface)) return HEADER_FAILED;
  let firstUnknown: UnknownMatch | undefined;
  for (let i = 0; i < rule.matches.length; i++) {
    const use = rule.matches[i]!;
    const ext = use.extension;
    const result: MatchResult = ext.match ? ext.match(use.options, env) : { unknown: `nfwalk does not model -m ${ext.name}` };
    if (result === false) return i;
    if (isUnknown(result)) firstUnknown ??= { result, extension: ext.name };
  }
  return firstUnknown ?? true;
}

/** What matches and targets see; made again whenever a target changes the packet or its metadata. */
function targetEnv(ctx: WalkContext, table: Table, hook: Hook, flow: Flow): TargetEnv {
  const { conntrack, meta } = flow;
  return {
    packet: flow.packet,
    hook,
    table: table.name,
    inInterface: flow.inInterface,
    outInterface: flow.outInterface,
    physIn: flow.physIn,
    physOut: flow.physOut,
    mark: meta.mark,
    conntrack: conntrackView(conntrack, meta),
    host: ctx.host,
    socket: ctx.socket,
    linkType: flow.linkType,
    sourceMac: undefined,
    meta,
  };
}

/**
 * Walks from rule `index` of `chain` with the return points `stack` (the walk's
 * own: it pushes and pops them); `forced` says how that rule was decided by a
 * fork (the rule's matches are then not evaluated again).
 */
function run(ctx: WalkContext, at: TableAtHook, chain: Chain, index: number, stack: Position[], flow: Flow, forced: boolean | undefined): WalkResult[] {
  const { table, hook } = at;
  /** Made when a rule first needs it (a built-in chain without rules needs none), again after a target changes the packet. */
  let env: TargetEnv | undefined;
  let decided = forced;
  /** The prefilter of `indexed` (looked up again only when the walk changes chains). */
  let indexed: Chain | undefined;
  let prefilter: ChainIndex | null = null;
  for (;;) {
    // Skip the rules the chain's index says cannot match this packet.
    if (decided === undefined && index < chain.rules.length) {
      if (indexed !== chain) {
        indexed = chain;
        prefilter = chainIndex(chain);
      }
      if (prefilter) index = nextCandidate(prefilter, index, flow.packet);
    }
    const rule = chain.rules[index];
    if (!rule) {
      if (chain.policy) {
        const step = policyStep(at, chain, chain.policy);
        flow.steps.push(step);
        flow.seen?.push({ hook, table: table.name, env: (env ??= targetEnv(ctx, table, hook, flow)), step });
        return [{ flow, end: chain.policy === "ACCEPT" ? ACCEPT : { kind: "drop", reason: `policy DROP of ${table.name} ${chain.name}` } }];
      }
      const back = stack.pop() ?? underflow(table, hook);
      ({ chain, index } = back);
      continue;
    }
    let matched: boolean;
    if (decided !== undefined) {
      matched = decided;
      decided = undefined;
    } else {
      const verdict = evaluate(rule, (env ??= targetEnv(ctx, table, hook, flow)));
      if (typeof verdict === "object") {
        const pinned = ctx.assume(rule, verdict.result, verdict.extension);
        if (pinned === undefined) return fork(ctx, at, chain, index, stack, flow, rule, verdict.result);
        flow.steps.push(unknownStep(hook, table.name, chain, rule, verdict.result, pinned, true));
        matched = pinned;
      } else if (verdict === true) matched = true;
      else {
        matched = false;
        flow.seen?.push({ hook, table: table.name, env, passed: { rule, failed: verdict === HEADER_FAILED ? { header: true } : { match: verdict } } });
      }
    }
    if (!matched) {
      index++;
      continue;
    }
    const action = rule.action;
    const taken = takenRule(at, chain, rule);
    const step = taken.step;
    flow.steps.push(step);
    flow.seen?.push({ hook, table: table.name, env: (env ??= targetEnv(ctx, table, hook, flow)), step });
    if (!action) {
      index++;
      continue;
    }
    if (action.kind === "jump" || action.kind === "goto") {
      if (action.kind === "jump") stack.push({ chain, index: index + 1 });
      chain = taken.next!;
      index = 0;
      continue;
    }
    const { extension, options } = action.target;
    const effect: TargetEffect = extension.apply
      ? extension.apply(options, (env ??= targetEnv(ctx, table, hook, flow)))
      : { kind: "unknown", reason: `nfwalk does not model the target ${extension.name}` };
    switch (effect.kind) {
      case "continue":
        if (effect.update) flow.meta = effect.update(flow.meta);
        if (effect.rewrite) flow.packet = effect.rewrite(flow.packet);
        if (effect.update || effect.rewrite) env = undefined;
        if (effect.note) flow.steps.push({ type: "effect", hook, table: table.name, chain: chain.name, rule: rule.number, detail: effect.note });
        index++;
        continue;
      case "return": {
        // With no caller left (RETURN in the built-in chain, or in a chain reached by -g from it), the policy decides.
        ({ chain, index } = stack.pop() ?? underflow(table, hook));
        continue;
      }
      case "accept":
        return [{ flow, end: ACCEPT }];
      case "drop":
        return [{ flow, end: { kind: "drop", reason: `rule ${rule.number} of ${table.name} ${chain.name} (line ${rule.line}) drops it` } }];
      case "reject":
        return [{ flow, end: { kind: "reject", reply: effect.reply } }];
      case "nat":
        return [{ flow, end: { kind: "nat", request: effect.request } }];
      case "queue":
        return [{ flow, end: { kind: "unknown", reason: effect.description } }];
      case "unknown":
        return [{ flow, end: { kind: "unknown", reason: effect.reason } }];
    }
  }
}

// Steps are built field by field, in the contract's key order (trace/json.ts): a spread
// into an object literal is slow, and these are made for every rule a packet matches.

/** `rule` (in `chain`) as the hook's walks take it, made the first time a trace takes it. */
function takenRule(at: TableAtHook, chain: Chain, rule: Rule): TakenRule {
  let taken = at.taken.get(rule);
  if (taken === undefined) {
    const { hook, table } = at;
    const action = rule.action;
    const target = action === null ? undefined : action.kind === "target" ? action.target.extension.name : action.chain;
    const step: RuleStep =
      target === undefined
        ? { hook, table: table.name, chain: chain.name, type: "rule", rule: rule.number, line: rule.line }
        : { hook, table: table.name, chain: chain.name, type: "rule", rule: rule.number, line: rule.line, target };
    at.taken.set(rule, (taken = { step, next: action !== null && action.kind !== "target" ? table.chainsByName.get(action.chain) : undefined }));
  }
  return taken;
}

/** The step of the built-in chain's policy at the hook, made the first time a trace takes it. */
function policyStep(at: TableAtHook, chain: Chain, policy: Policy): PolicyStep {
  let step = at.policySteps.get(chain);
  if (step === undefined) at.policySteps.set(chain, (step = { hook: at.hook, table: at.table.name, chain: chain.name, type: "policy", policy }));
  return step;
}

/**
 * Where ipt_do_table goes when a walk runs out of callers: the hook's
 * underflow, i.e. the end of the built-in chain, whose policy then decides.
 */
function underflow(table: Table, hook: Hook): { chain: Chain; index: number } {
  const chain = table.chainsByName.get(hook)!;
  return { chain, index: chain.rules.length };
}

function unknownStep(hook: Hook, table: TableName, chain: Chain, rule: Rule, unknown: Unknown, assumed: boolean, pinned: boolean): UnknownStep {
  const probability = unknown.probability === undefined ? undefined : assumed ? unknown.probability : 1 - unknown.probability;
  const reason = unknown.unknown;
  return { type: "unknown", hook, table, chain: chain.name, rule: rule.number, line: rule.line, reason, assumed: assumed ? "match" : "no match", probability, pinned: pinned ? true : undefined };
}

/** Both ways of an unknown match at rule `index` of `chain`: the branch where it matches, then the one where it does not. */
function fork(ctx: WalkContext, at: TableAtHook, chain: Chain, index: number, stack: Position[], flow: Flow, rule: Rule, unknown: Unknown): WalkResult[] {
  const { table, hook } = at;
  if (ctx.budget.forks <= 0) {
    return [{ flow, end: { kind: "unknown", reason: `too many unknown matches to follow every branch; stopped at ${table.name} ${chain.name} rule ${rule.number} (line ${rule.line})` } }];
  }
  ctx.budget.forks--;
  const results: WalkResult[] = [];
  for (const assumed of [true, false]) {
    // The first branch walks on a copy; the last one, once it is done, takes the flow and return stack themselves (nothing else holds them).
    const last = !assumed;
    const branch = last ? flow : forkFlow(flow);
    branch.steps.push(unknownStep(hook, table.name, chain, rule, unknown, assumed, false));
    if (unknown.probability !== undefined) {
      branch.probability = (branch.probability ?? 1) * (assumed ? unknown.probability : 1 - unknown.probability);
    }
    for (const r of run(ctx, at, chain, index, last ? stack : [...stack], branch, assumed)) results.push(r);
  }
  return results;
}
