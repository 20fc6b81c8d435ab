/**
 * What the kernel and iptables check when a table is loaded: no jump loops,
 * targets and matches only where their table and hooks allow them, and no
 * -i/-o on a built-in chain whose packets have no such interface.
 */
import { error, warning, type Diagnostic } from "../diag/index.js";
import type { Chain, Hook, Position, Rule, Table } from "./types.js";

/** nf_tables' jump stack (NFT_JUMP_STACK_SIZE); legacy iptables has no such limit. */
const NFT_MAX_JUMP_DEPTH = 16;

export function validateTable(table: Table, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (pos: Position, length = 1) => ({ file, line: pos.line, column: pos.column, length });
  const loop = findLoop(table);
  if (loop) {
    diagnostics.push(error("jump-loop", `jumping to ${loop.target} from chain ${loop.rule.chain} closes a loop: ${loop.path.join(" → ")}`, at(jumpPosition(loop.rule))));
    return diagnostics;
  }
  const depth = deepestJump(table);
  if (depth.depth > NFT_MAX_JUMP_DEPTH) {
    diagnostics.push(
      warning("jump-depth", `chains nest ${depth.depth} jumps deep; iptables-nft refuses more than ${NFT_MAX_JUMP_DEPTH} ("Too many links"), legacy iptables loads it`, at({ line: depth.chain.line ?? table.line, column: 1 })),
    );
  }
  const hooks = reachingHooks(table);
  for (const chain of table.chains) {
    const reachedFrom = hooks.get(chain.name) ?? new Set<Hook>();
    for (const rule of chain.rules) diagnostics.push(...checkRule(table, chain, rule, reachedFrom, at));
  }
  return diagnostics;
}

function checkRule(table: Table, chain: Chain, rule: Rule, reachedFrom: ReadonlySet<Hook>, at: (p: Position, length?: number) => { file: string; line: number; column: number; length: number }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lineStart = { line: rule.line, column: 1 };
  if (chain.hook === "PREROUTING" || chain.hook === "INPUT") {
    if (rule.header.outInterface) out.push(error("bad-interface", `-o cannot be used in ${chain.hook}: the output interface is not known yet`, at(lineStart)));
  }
  if (chain.hook === "POSTROUTING" || chain.hook === "OUTPUT") {
    if (rule.header.inInterface) out.push(error("bad-interface", `-i cannot be used in ${chain.hook}: locally sent and outgoing packets have no input interface there`, at(lineStart)));
  }
  for (const match of rule.matches) {
    const allowed = match.extension.hooks?.(match.options);
    const bad = allowed && [...reachedFrom].filter((h) => !allowed.includes(h));
    if (bad && bad.length > 0) {
      out.push(error("bad-hook", `-m ${match.extension.name} with these options works only in ${allowed.join(", ")}; chain ${chain.name} is reached from ${bad.join(", ")}`, at(match.at)));
    }
  }
  if (rule.action?.kind === "target") {
    const { extension, at: targetAt } = rule.action.target;
    if (extension.tables && !extension.tables.includes(table.name)) {
      out.push(error("bad-table", `target ${extension.name} is only valid in the ${extension.tables.join(" or ")} table, not in ${table.name}`, at(targetAt, extension.name.length)));
    } else if (extension.hooks) {
      const bad = [...reachedFrom].filter((h) => !extension.hooks!.includes(h));
      if (bad.length > 0) {
        out.push(error("bad-hook", `target ${extension.name} works only in ${extension.hooks.join(", ")}; chain ${chain.name} is reached from ${bad.join(", ")}`, at(targetAt, extension.name.length)));
      }
    }
  }
  return out;
}

function callees(chain: Chain): { rule: Rule; target: string }[] {
  const out: { rule: Rule; target: string }[] = [];
  for (const rule of chain.rules) {
    if (rule.action?.kind === "jump" || rule.action?.kind === "goto") out.push({ rule, target: rule.action.chain });
  }
  return out;
}

function jumpPosition(rule: Rule): Position {
  return rule.action && rule.action.kind !== "target" ? rule.action.at : { line: rule.line, column: 1 };
}

/**
 * Iterative depth-first search for a cycle reachable from a built-in chain.
 * The kernel walks from the hooks only, so a loop no packet can enter loads.
 */
function findLoop(table: Table): { rule: Rule; target: string; path: string[] } | undefined {
  const state = new Map<string, "open" | "done">();
  for (const start of table.chains) {
    if (!start.hook || state.has(start.name)) continue;
    const stack: { chain: Chain; edges: { rule: Rule; target: string }[]; next: number }[] = [{ chain: start, edges: callees(start), next: 0 }];
    state.set(start.name, "open");
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const edge = frame.edges[frame.next++];
      if (!edge) {
        state.set(frame.chain.name, "done");
        stack.pop();
        continue;
      }
      const seen = state.get(edge.target);
      if (seen === "open") {
        const names = stack.map((f) => f.chain.name);
        return { rule: edge.rule, target: edge.target, path: [...names.slice(names.indexOf(edge.target)), edge.target] };
      }
      const next = table.chainsByName.get(edge.target);
      if (seen === undefined && next) {
        state.set(next.name, "open");
        stack.push({ chain: next, edges: callees(next), next: 0 });
      }
    }
  }
  return undefined;
}

/** The hooks from which each chain can be reached (the kernel's hook mask per chain). */
function reachingHooks(table: Table): Map<string, Set<Hook>> {
  const hooks = new Map<string, Set<Hook>>();
  for (const chain of table.chains) {
    if (!chain.hook) continue;
    const queue = [chain];
    while (queue.length > 0) {
      const current = queue.pop()!;
      const set = hooks.get(current.name) ?? new Set<Hook>();
      if (set.has(chain.hook)) continue;
      set.add(chain.hook);
      hooks.set(current.name, set);
      for (const { target } of callees(current)) {
        const next = table.chainsByName.get(target);
        if (next) queue.push(next);
      }
    }
  }
  return hooks;
}

/** The longest run of jumps from any chain (the table has no loops by now). */
function deepestJump(table: Table): { depth: number; chain: Chain } {
  const depth = new Map<string, number>();
  const order: Chain[] = [];
  const visited = new Set<string>();
  for (const start of table.chains) {
    if (visited.has(start.name)) continue;
    const stack: { chain: Chain; edges: { target: string }[]; next: number }[] = [{ chain: start, edges: callees(start), next: 0 }];
    visited.add(start.name);
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const edge = frame.edges[frame.next++];
      if (!edge) {
        order.push(frame.chain);
        stack.pop();
        continue;
      }
      const next = table.chainsByName.get(edge.target);
      if (next && !visited.has(next.name)) {
        visited.add(next.name);
        stack.push({ chain: next, edges: callees(next), next: 0 });
      }
    }
  }
  let deepest = { depth: 0, chain: table.chains[0]! };
  for (const chain of order) {
    const d = Math.max(0, ...callees(chain).map(({ target }) => 1 + (depth.get(target) ?? 0)));
    depth.set(chain.name, d);
    if (d > deepest.depth) deepest = { depth: d, chain };
  }
  return deepest;
}
