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
  chains.forEach((chain, i) => {
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
  return graphOfCalls(chains, { caller: Int32Array.from(callers), callee: Int32Array.from(callees), rule: rules });
}

/** The graph of chains whose calls are known (the loader records them as it reads the rules): each call kept once per pair of chains, with the first rule that makes it. */
export function graphOfCalls(chains: readonly Chain[], calls: ChainCalls): ChainGraph {
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
  return { chains, first, callee: callee.subarray(0, caller.length), caller };
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
export function callOrder(graph: ChainGraph): { readonly loop: Loop | undefined; readonly order: readonly number[]; readonly deepest: Deepest } {
  const OPEN = 1;
  const DONE = 2;
  const n = graph.chains.length;
  const state = new Uint8Array(n);
  const postorder: number[] = [];
  const stackChain: number[] = [];
  const stackNext: number[] = [];
  let loop: Loop | undefined;
  const depth = new Int32Array(n);
  let deepest: Deepest = { depth: 0, chain: undefined };
  for (const fromHooks of [true, false]) {
    for (let root = 0; root < n; root++) {
      if (state[root] || (graph.chains[root]!.hook !== null) !== fromHooks) continue;
      state[root] = OPEN;
      stackChain.push(root);
      stackNext.push(graph.first[root]!);
      while (stackChain.length > 0) {
        const top = stackChain.length - 1;
        const chain = stackChain[top]!;
        const k = stackNext[top]!;
        if (k >= graph.first[chain + 1]!) {
          state[chain] = DONE;
          postorder.push(chain);
          // Every chain it calls is done by now, but one that closes a loop (whose depth is still 0).
          let d = 0;
          for (let c = graph.first[chain]!; c < graph.first[chain + 1]!; c++) d = Math.max(d, depth[graph.callee[c]!]! + 1);
          depth[chain] = d;
          if (d > deepest.depth) deepest = { depth: d, chain: graph.chains[chain] };
          stackChain.pop();
          stackNext.pop();
          continue;
        }
        stackNext[top] = k + 1;
        const target = graph.callee[k]!;
        if (state[target] === OPEN && fromHooks && !loop) {
          const names = stackChain.map((c) => graph.chains[c]!.name);
          loop = { rule: graph.caller[k]!, path: [...names.slice(stackChain.indexOf(target)), graph.chains[target]!.name] };
        }
        if (!state[target]) {
          state[target] = OPEN;
          stackChain.push(target);
          stackNext.push(graph.first[target]!);
        }
      }
    }
  }
  return { loop, order: postorder.reverse(), deepest };
}

/** Chain indices so that every caller comes before the chains it calls (the graph has no loops). */
export function callersFirst(graph: ChainGraph): readonly number[] {
  return callOrder(graph).order;
}

/** The hooks from which each chain can be reached (the kernel's hook mask per chain) as HOOK_BITS; HOOK_LISTS spells a mask out. */
export function reachingHooks(graph: ChainGraph, order: readonly number[]): Uint8Array {
  const mask = new Uint8Array(graph.chains.length);
  graph.chains.forEach((c, i) => {
    if (c.hook) mask[i] = HOOK_BITS[c.hook];
  });
  for (const chain of order) {
    const from = mask[chain]!;
    if (from === 0) continue;
    for (let k = graph.first[chain]!; k < graph.first[chain + 1]!; k++) {
      const target = graph.callee[k]!;
      mask[target] = mask[target]! | from;
    }
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
