/**
 * The jump graph of a table: which chains each chain jumps or goes to (once
 * per pair, with the first rule that does), and what follows from it — loops,
 * the hooks each chain is reached from, the deepest nesting. Linear in rules,
 * and kept in flat arrays rather than a Map or Set per chain, so that a
 * kube-proxy dump with tens of thousands of chains and a hundred thousand
 * jumps loads quickly.
 */
import type { Chain, Hook, Rule, Table } from "./types.js";

export interface ChainGraph {
  readonly chains: readonly Chain[];
  /** For each chain (by index), the chains it calls, each once, in the order of their first call. */
  readonly targets: readonly (readonly number[])[];
  /** For each chain, the first rule that calls each of `targets` (same positions). */
  readonly callers: readonly (readonly Rule[])[];
}

const NONE: readonly never[] = Object.freeze([]);

export function chainGraph(table: Table): ChainGraph {
  const index = new Map<string, number>();
  table.chains.forEach((c, i) => index.set(c.name, i));
  /** seen[t] === i + 1: chain i already calls t. */
  const seen = new Int32Array(table.chains.length);
  const targets: (readonly number[])[] = [];
  const callers: (readonly Rule[])[] = [];
  table.chains.forEach((chain, i) => {
    let ts: number[] | undefined;
    let rs: Rule[] | undefined;
    for (const rule of chain.rules) {
      const action = rule.action;
      if (action === null || action.kind === "target") continue;
      const target = index.get(action.chain);
      if (target === undefined || seen[target] === i + 1) continue;
      seen[target] = i + 1;
      (ts ??= []).push(target);
      (rs ??= []).push(rule);
    }
    targets.push(ts ?? NONE);
    callers.push(rs ?? NONE);
  });
  return { chains: table.chains, targets, callers };
}

/** The first cycle a packet can enter from a hook (the kernel checks only those), as chain names and the closing rule. */
export function findLoop(graph: ChainGraph): { readonly rule: Rule; readonly path: readonly string[] } | undefined {
  const OPEN = 1;
  const DONE = 2;
  const state = new Uint8Array(graph.chains.length);
  const stackChain: number[] = [];
  const stackNext: number[] = [];
  for (let root = 0; root < graph.chains.length; root++) {
    if (!graph.chains[root]!.hook || state[root]) continue;
    stackChain.push(root);
    stackNext.push(0);
    state[root] = OPEN;
    while (stackChain.length > 0) {
      const top = stackChain.length - 1;
      const chain = stackChain[top]!;
      const k = stackNext[top]!;
      const targets = graph.targets[chain]!;
      if (k >= targets.length) {
        state[chain] = DONE;
        stackChain.pop();
        stackNext.pop();
        continue;
      }
      stackNext[top] = k + 1;
      const target = targets[k]!;
      if (state[target] === OPEN) {
        const names = stackChain.map((c) => graph.chains[c]!.name);
        return { rule: graph.callers[chain]![k]!, path: [...names.slice(stackChain.indexOf(target)), graph.chains[target]!.name] };
      }
      if (!state[target]) {
        state[target] = OPEN;
        stackChain.push(target);
        stackNext.push(0);
      }
    }
  }
  return undefined;
}

/** Chain indices so that every caller comes before the chains it calls (the graph has no loops). */
function callersFirst(graph: ChainGraph): number[] {
  const n = graph.chains.length;
  const seen = new Uint8Array(n);
  const postorder: number[] = [];
  const stackChain: number[] = [];
  const stackNext: number[] = [];
  for (let root = 0; root < n; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    stackChain.push(root);
    stackNext.push(0);
    while (stackChain.length > 0) {
      const top = stackChain.length - 1;
      const chain = stackChain[top]!;
      const k = stackNext[top]!;
      const targets = graph.targets[chain]!;
      if (k >= targets.length) {
        postorder.push(chain);
        stackChain.pop();
        stackNext.pop();
        continue;
      }
      stackNext[top] = k + 1;
      const target = targets[k]!;
      if (!seen[target]) {
        seen[target] = 1;
        stackChain.push(target);
        stackNext.push(0);
      }
    }
  }
  return postorder.reverse();
}

/** The hooks from which each chain can be reached: the kernel's hook mask per chain. */
export function reachingHooks(graph: ChainGraph): readonly (readonly Hook[])[] {
  // In order of arrival, as a Set per chain would keep them; `has` mirrors each list as bits.
  const hooks: Hook[][] = graph.chains.map((c) => (c.hook ? [c.hook] : []));
  const has = new Uint8Array(graph.chains.length);
  graph.chains.forEach((c, i) => {
    if (c.hook) has[i] = bit(c.hook);
  });
  for (const chain of callersFirst(graph)) {
    const from = hooks[chain]!;
    if (from.length === 0) continue;
    for (const target of graph.targets[chain]!) {
      if ((has[target]! & has[chain]!) === has[chain]) continue;
      const to = hooks[target]!;
      for (const hook of from) {
        const b = bit(hook);
        if ((has[target]! & b) === 0) {
          has[target] = has[target]! | b;
          to.push(hook);
        }
      }
    }
  }
  return hooks;
}

const HOOK_BITS: Readonly<Record<Hook, number>> = { PREROUTING: 1, INPUT: 2, FORWARD: 4, OUTPUT: 8, POSTROUTING: 16 };

function bit(hook: Hook): number {
  return HOOK_BITS[hook];
}

/** The longest run of nested jumps, and the chain it starts from. */
export function deepestJump(graph: ChainGraph): { readonly depth: number; readonly chain: Chain | undefined } {
  const depth = new Int32Array(graph.chains.length);
  let deepest = { depth: 0, chain: undefined as Chain | undefined };
  for (const chain of callersFirst(graph).reverse()) {
    let d = 0;
    for (const target of graph.targets[chain]!) d = Math.max(d, depth[target]! + 1);
    depth[chain] = d;
    if (d > deepest.depth) deepest = { depth: d, chain: graph.chains[chain] };
  }
  return deepest;
}
