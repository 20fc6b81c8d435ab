/**
 * The jump graph of a table: which chains each chain jumps or goes to (once
 * per pair, with the first rule that does), and what follows from it — loops,
 * the hooks each chain is reached from, the deepest nesting. Linear in rules,
 * so that a kube-proxy dump with a hundred thousand jumps loads quickly.
 */
import type { Chain, Hook, Rule, Table } from "./types.js";

export interface ChainGraph {
  readonly chains: readonly Chain[];
  /** For each chain (by index), the chains it calls and the first rule that calls each. */
  readonly calls: readonly ReadonlyMap<number, Rule>[];
}

export function chainGraph(table: Table): ChainGraph {
  const index = new Map(table.chains.map((c, i) => [c.name, i]));
  const calls = table.chains.map((chain) => {
    const out = new Map<number, Rule>();
    for (const rule of chain.rules) {
      const action = rule.action;
      if (action?.kind !== "jump" && action?.kind !== "goto") continue;
      const target = index.get(action.chain);
      if (target !== undefined && !out.has(target)) out.set(target, rule);
    }
    return out;
  });
  return { chains: table.chains, calls };
}

/** The first cycle a packet can enter from a hook (the kernel checks only those), as chain names and the closing rule. */
export function findLoop(graph: ChainGraph): { readonly rule: Rule; readonly path: readonly string[] } | undefined {
  const OPEN = 1;
  const DONE = 2;
  const state = new Uint8Array(graph.chains.length);
  for (let root = 0; root < graph.chains.length; root++) {
    if (!graph.chains[root]!.hook || state[root]) continue;
    const stack: { chain: number; next: Iterator<[number, Rule]> }[] = [{ chain: root, next: graph.calls[root]!.entries() }];
    state[root] = OPEN;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const step = frame.next.next();
      if (step.done) {
        state[frame.chain] = DONE;
        stack.pop();
        continue;
      }
      const [target, rule] = step.value;
      if (state[target] === OPEN) {
        const names = stack.map((f) => graph.chains[f.chain]!.name);
        return { rule, path: [...names.slice(stack.findIndex((f) => f.chain === target)), graph.chains[target]!.name] };
      }
      if (!state[target]) {
        state[target] = OPEN;
        stack.push({ chain: target, next: graph.calls[target]!.entries() });
      }
    }
  }
  return undefined;
}

/** Chain indices so that every caller comes before the chains it calls (the graph has no loops). */
function callersFirst(graph: ChainGraph): number[] {
  const seen = new Uint8Array(graph.chains.length);
  const postorder: number[] = [];
  for (let root = 0; root < graph.chains.length; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    const stack: { chain: number; next: Iterator<number> }[] = [{ chain: root, next: graph.calls[root]!.keys() }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const step = frame.next.next();
      if (step.done) {
        postorder.push(frame.chain);
        stack.pop();
      } else if (!seen[step.value]) {
        seen[step.value] = 1;
        stack.push({ chain: step.value, next: graph.calls[step.value]!.keys() });
      }
    }
  }
  return postorder.reverse();
}

/** The hooks from which each chain can be reached: the kernel's hook mask per chain. */
export function reachingHooks(graph: ChainGraph): readonly (readonly Hook[])[] {
  const hooks = graph.chains.map((c) => new Set<Hook>(c.hook ? [c.hook] : []));
  for (const chain of callersFirst(graph)) {
    for (const target of graph.calls[chain]!.keys()) for (const hook of hooks[chain]!) hooks[target]!.add(hook);
  }
  return hooks.map((set) => [...set]);
}

/** The longest run of nested jumps, and the chain it starts from. */
export function deepestJump(graph: ChainGraph): { readonly depth: number; readonly chain: Chain | undefined } {
  const depth = new Int32Array(graph.chains.length);
  let deepest = { depth: 0, chain: undefined as Chain | undefined };
  for (const chain of callersFirst(graph).reverse()) {
    let d = 0;
    for (const target of graph.calls[chain]!.keys()) d = Math.max(d, depth[target]! + 1);
    depth[chain] = d;
    if (d > deepest.depth) deepest = { depth: d, chain: graph.chains[chain] };
  }
  return deepest;
}
