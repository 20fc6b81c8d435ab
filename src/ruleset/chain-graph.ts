/**
 * The jump graph of a table: which chains each chain jumps or goes to (once
 * per pair, with the first rule that does), and what follows from it — loops,
 * the hooks each chain is reached from, the deepest nesting. Linear in rules,
 * and kept in flat arrays rather than a Map or Set per chain, so that a
 * kube-proxy dump with tens of thousands of chains and a hundred thousand
 * jumps loads quickly.
 */
import { HOOKS, type Hook } from "../model/types.js";
import type { Chain, Rule, Table } from "./types.js";

export interface ChainGraph {
  readonly chains: readonly Chain[];
  /** Each chain's hook as HOOK_BITS, 0 for a user chain: read here, not off tens of thousands of chains. */
  readonly hooks: Uint8Array;
  /**
   * The calls of chain i are positions first[i] up to first[i + 1] of `callee`
   * and `caller`: each chain it calls, once, in the order of the first call.
   */
  readonly first: Int32Array;
  readonly callee: Int32Array;
  /** The first rule that makes each call. */
  readonly caller: readonly Rule[];
}

/**
 * Every call of every chain, repeats included, chain after chain in table order and each
 * chain's in the order of its rules: call k is made by chain caller[k] to chain callee[k]
 * with rule[k].
 */
export interface ChainCalls {
  readonly caller: Int32Array;
  readonly callee: Int32Array;
  readonly rule: readonly Rule[];
}

/** The graph of a table, its calls found by the names its rules jump to. */
export function chainGraph(table: Table): ChainGraph {
  const chains = table.chains;
  const index = new Map<string, number>();
  chains.forEach((c, i) => index.set(c.name, i));
  const callers: number[] = [];
  const callees: number[] = [];
  const rules: Rule[] = [];
  const hooks = new Uint8Array(chains.length);
  chains.forEach((chain, i) => {
    if (chain.hook) hooks[i] = HOOK_BITS[chain.hook];
    for (const rule of chain.rules) {
      const action = rule.action;
      if (action === null || action.kind === "target") continue;
      const target = index.get(action.chain);
      if (target === undefined) continue;
      callers.push(i);
      callees.push(target);
      rules.push(rule);
    }
  });
  return graphOfCalls(chains, hooks, { caller: Int32Array.from(callers), callee: Int32Array.from(callees), rule: rules });
}

/** The graph of chains whose calls are known (the loader records them as it reads the rules): each call kept once per pair of chains, with the first rule that makes it. */
export function graphOfCalls(chains: readonly Chain[], hooks: Uint8Array, calls: ChainCalls): ChainGraph {
  /** seen[t] === i + 1: chain i already calls t. */
  const seen = new Int32Array(chains.length);
  const first = new Int32Array(chains.length + 1);
  const callee = new Int32Array(calls.callee.length);
  const caller: Rule[] = [];
  let k = 0;
  for (let i = 0; i < chains.length; i++) {
    first[i] = caller.length;
    for (; k < calls.caller.length && calls.caller[k] === i; k++) {
      const target = calls.callee[k]!;
      if (seen[target] === i + 1) continue;
      seen[target] = i + 1;
      callee[caller.length] = target;
      caller.push(calls.rule[k]!);
    }
  }
  first[chains.length] = caller.length;
  return { chains, hooks, first, callee: callee.subarray(0, caller.length), caller };
}

/** A cycle of jumps: the chains it passes, by name, and the rule that closes it. */
export interface Loop {
  readonly rule: Rule;
  readonly path: readonly string[];
}

/**
 * One depth-first walk of the graph, from the chains with a hook first (the kernel checks only the
 * loops a packet can enter from one), then from every other chain, each in table order: the first
 * cycle found from a hook; the chain indices so that every caller comes before the chains it calls
 * (when there is no such cycle); and the longest run of nested jumps, with the chain it starts from
 * (the first such chain to finish). Loop check, order and depth were three walks; one is enough.
 */
export function callOrder(graph: ChainGraph): { readonly loop: Loop | undefined; readonly order: Int32Array; readonly deepest: Deepest } {
  const walk = new CallWalk(graph);
  const hooks = graph.hooks;
  for (let root = 0; root < hooks.length; root++) if (hooks[root] !== 0) walk.from(root, true);
  for (let root = 0; root < hooks.length; root++) if (hooks[root] === 0) walk.from(root, false);
  return { loop: walk.loop, order: walk.order, deepest: walk.deepest };
}

const OPEN = 1;
const DONE = 2;

/**
 * callOrder's walk. It runs once per table, over tens of thousands of chains in a large dump: V8
 * runs it in its interpreter until it has compiled the loop, which it does sooner for a small
 * function with one loop than for loops nested in a larger one.
 */
class CallWalk {
  /** Filled from its end as chains finish: every caller before the chains it calls. */
  readonly order: Int32Array;
  private finished = 0;
  loop: Loop | undefined;
  deepest: Deepest = { depth: 0, chain: undefined };
  private readonly state: Uint8Array;
  private readonly depth: Int32Array;
  /** The chains being walked, root first, and the next call of each to follow. */
  private readonly stackChain: Int32Array;
  private readonly stackNext: Int32Array;

  constructor(private readonly graph: ChainGraph) {
    const n = graph.chains.length;
    this.order = new Int32Array(n);
    this.state = new Uint8Array(n);
    this.depth = new Int32Array(n);
    this.stackChain = new Int32Array(n);
    this.stackNext = new Int32Array(n);
  }

  from(root: number, fromHooks: boolean): void {
    const { state, depth, stackChain, stackNext } = this;
    const { first, callee } = this.graph;
    if (state[root]) return;
    state[root] = OPEN;
    stackChain[0] = root;
    stackNext[0] = first[root]!;
    let top = 0;
    while (top >= 0) {
      const chain = stackChain[top]!;
      const k = stackNext[top]!;
      if (k < first[chain + 1]!) {
        stackNext[top] = k + 1;
        const target = callee[k]!;
        const seen = state[target]!;
        if (seen === 0) {
          state[target] = OPEN;
          stackChain[++top] = target;
          stackNext[top] = first[target]!;
          continue;
        }
        // A chain still open closes a loop: its depth is not known, and counts as 0.
        const d = seen === DONE ? depth[target]! + 1 : 1;
        if (d > depth[chain]!) depth[chain] = d;
        if (seen === OPEN && fromHooks && !this.loop) this.loop = this.loopAt(top, target, k);
        continue;
      }
      // Every chain it calls is done (or open, closing a loop): its depth is known.
      state[chain] = DONE;
      this.order[this.order.length - ++this.finished] = chain;
      const d = depth[chain]!;
      if (d > this.deepest.depth) this.deepest = { depth: d, chain: this.graph.chains[chain] };
      top--;
      if (top >= 0 && d + 1 > depth[stackChain[top]!]!) depth[stackChain[top]!] = d + 1;
    }
  }

  /** The loop closed by call k, from the top chain of the stack back to `target`, which is lower on it. */
  private loopAt(top: number, target: number, k: number): Loop {
    const chains = this.graph.chains;
    const path: string[] = [];
    let i = top;
    while (this.stackChain[i] !== target) i--;
    for (; i <= top; i++) path.push(chains[this.stackChain[i]!]!.name);
    path.push(chains[target]!.name);
    return { rule: this.graph.caller[k]!, path };
  }
}

/** Chain indices so that every caller comes before the chains it calls (the graph has no loops). */
export function callersFirst(graph: ChainGraph): Int32Array {
  return callOrder(graph).order;
}

/** The hooks from which each chain can be reached (the kernel's hook mask per chain) as HOOK_BITS; HOOK_LISTS spells a mask out. */
export function reachingHooks(graph: ChainGraph, order: Int32Array): Uint8Array {
  const mask = graph.hooks.slice();
  const { first, callee } = graph;
  for (let o = 0; o < order.length; o++) {
    const chain = order[o]!;
    const from = mask[chain]!;
    if (from === 0) continue;
    for (let k = first[chain]!; k < first[chain + 1]!; k++) mask[callee[k]!]! |= from;
  }
  return mask;
}

export const HOOK_BITS: Readonly<Record<Hook, number>> = { PREROUTING: 1, INPUT: 2, FORWARD: 4, OUTPUT: 8, POSTROUTING: 16 };
export const ALL_HOOKS = 31;

/** Every set of hooks as a list in hook order, indexed by its mask: chains share them (not frozen: V8 makes an iterator for every for-of over a frozen array). */
export const HOOK_LISTS: readonly (readonly Hook[])[] = Array.from({ length: 32 }, (_, m) => HOOKS.filter((h) => (m & HOOK_BITS[h]) !== 0));

/** The longest run of nested jumps, and the chain it starts from. */
export interface Deepest {
  readonly depth: number;
  readonly chain: Chain | undefined;
}
