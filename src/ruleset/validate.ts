/**
 * What the kernel and iptables check when a table is loaded: no jump loops
 * a packet can enter, targets and matches only where their table and hooks
 * allow them, and no -i/-o on a built-in chain whose packets have no such
 * interface.
 */
import { error, warning, type Diagnostic, type SourceSpan } from "../diag/index.js";
import { ALL_HOOKS, callOrder, HOOK_BITS, HOOK_LISTS, reachingHooks, type ChainGraph } from "./chain-graph.js";
import type { TargetExtension } from "../ext/types.js";
import type { HeaderMatch, Hook, TableName } from "../model/types.js";
import type { Chain, Rule, Table } from "./types.js";

/** nf_tables' jump stack (NFT_JUMP_STACK_SIZE); legacy iptables has no such limit. */
const NFT_MAX_JUMP_DEPTH = 16;

type Locate = (line: number, column: number, length?: number) => SourceSpan;

/**
 * `graph`: the table's jump graph (chainGraph, or as the loader recorded it); `refusable`: for each
 * chain, what refusedFrom says of its rules taken together.
 */
export function validateTable(table: Table, graph: ChainGraph, refusable: Uint8Array, file: string): Diagnostic[] {
  const at: Locate = (line, column, length = 1) => ({ file, line, column, length });
  const { loop, order, deepest } = callOrder(graph);
  if (loop) {
    const action = loop.rule.action;
    const column = action && action.kind !== "target" ? action.column : 1;
    return [error("jump-loop", `this jump from chain ${loop.rule.chain} closes a loop: ${loop.path.join(" → ")}`, at(loop.rule.line, column))];
  }
  const diagnostics: Diagnostic[] = [];
  if (deepest.depth > NFT_MAX_JUMP_DEPTH) {
    const line = deepest.chain?.line ?? table.line;
    diagnostics.push(warning("jump-depth", `chains nest ${deepest.depth} jumps deep; iptables-nft refuses more than ${NFT_MAX_JUMP_DEPTH} ("Too many links"), legacy iptables loads it`, at(line, 1)));
  }
  const reach = reachingHooks(graph, order);
  table.chains.forEach((chain, i) => {
    // The rules of most chains cannot be refused from where the chain is reached: they are not looked at again.
    if ((refusable[i]! & (reach[i]! | ANYWHERE)) === 0) return;
    for (const rule of chain.rules) checkRule(table, chain, rule, HOOK_LISTS[reach[i]!]!, at, diagnostics);
  });
  return diagnostics;
}

/** refusedFrom's bit for a rule refused wherever its chain is reached from. */
export const ANYWHERE = 32;

/**
 * The hooks (HOOK_BITS) from which checkRule would refuse a rule of a chain with this hook, and
 * ANYWHERE if it refuses the rule wherever the chain is reached from: the loader works it out as
 * it adds the rule, so that COMMIT checks the rules of only the chains where it finds something.
 */
export function refusedFrom(table: TableName, hook: Hook | null, rule: Rule): number {
  let bits = refusedInterface(hook, rule.header) ? ANYWHERE : 0;
  for (const match of rule.matches) bits |= hooksOutside(match.extension.hooks?.(match.options));
  if (rule.action?.kind === "target") {
    const { extension, options } = rule.action.target;
    if (!inTable(extension, table)) bits |= ANYWHERE;
    bits |= hooksOutside(extension.hooks?.(options));
  }
  return bits;
}

function hooksOutside(allowed: readonly Hook[] | undefined): number {
  if (!allowed) return 0;
  let inside = 0;
  for (const hook of allowed) inside |= HOOK_BITS[hook];
  return ALL_HOOKS & ~inside;
}

/** The interface option a built-in chain's packets cannot have, if the rule uses it. */
function refusedInterface(hook: Hook | null, header: HeaderMatch): "-o" | "-i" | undefined {
  if ((hook === "PREROUTING" || hook === "INPUT") && header.outInterface) return "-o";
  if ((hook === "POSTROUTING" || hook === "OUTPUT") && header.inInterface) return "-i";
  return undefined;
}

function inTable(extension: TargetExtension, table: TableName): boolean {
  return !extension.tables || extension.tables.includes(table);
}

function checkRule(table: Table, chain: Chain, rule: Rule, reachedFrom: readonly Hook[], at: Locate, out: Diagnostic[]): void {
  const refused = refusedInterface(chain.hook, rule.header);
  if (refused === "-o") out.push(error("bad-interface", `-o cannot be used in ${chain.hook}: the output interface is not known yet`, at(rule.line, 1)));
  if (refused === "-i") {
    out.push(error("bad-interface", `-i cannot be used in ${chain.hook}: locally sent and outgoing packets have no input interface there`, at(rule.line, 1)));
  }
  for (const match of rule.matches) {
    const bad = outside(reachedFrom, match.extension.hooks?.(match.options));
    if (bad)
      out.push(
        error(
          "bad-hook",
          `-m ${match.extension.name} with these options works only in ${bad.allowed.join(", ")}; chain ${chain.name} is reached from ${bad.hooks.join(", ")}`,
          at(rule.line, match.column),
        ),
      );
  }
  if (rule.action?.kind !== "target") return;
  const { extension, options, column } = rule.action.target;
  if (!inTable(extension, table.name)) {
    out.push(error("bad-table", `target ${extension.name} is only valid in the ${extension.tables!.join(" or ")} table, not in ${table.name}`, at(rule.line, column, extension.name.length)));
    return;
  }
  const bad = outside(reachedFrom, extension.hooks?.(options));
  if (bad)
    out.push(
      error(
        "bad-hook",
        `target ${extension.name} with these options works only in ${bad.allowed.join(", ")}; chain ${chain.name} is reached from ${bad.hooks.join(", ")}`,
        at(rule.line, column, extension.name.length),
      ),
    );
}

/** The hooks a chain is reached from that an extension does not allow, if any (checked for every rule: nothing is made unless one is found). */
function outside(reachedFrom: readonly Hook[], allowed: readonly Hook[] | undefined): { hooks: Hook[]; allowed: readonly Hook[] } | undefined {
  if (!allowed || reachedFrom.every((h) => allowed.includes(h))) return undefined;
  return { hooks: reachedFrom.filter((h) => !allowed.includes(h)), allowed };
}
