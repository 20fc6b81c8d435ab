/**
 * A table while its lines are being read, up to COMMIT. Chains are created
 * by their declaration (or, for built-in chains, on first use); rules are
 * added with -A or inserted with -I, as iptables-restore does.
 */
import { error, type Diagnostic } from "../diag/index.js";
import { isKnownTargetName } from "../ext/registry.js";
import type { Token } from "../parse/syntax.js";
import type { ParsedRule } from "./rule-parser.js";
import type { Counters, Hook, Policy, TableName } from "../model/types.js";
import type { Rule, Table } from "./types.js";
import { chainGraph, graphOfCalls, HOOK_BITS, type ChainCalls, type ChainGraph } from "./chain-graph.js";
import { refusedFrom } from "./validate.js";
import { lasting } from "./lasting.js";
import { BUILTIN_CHAINS, builtinHook } from "../model/types.js";

/** How many declared chains chainNamed() compares after the last one before it looks the name up, and how far it then looks for the chain found. */
const LOOK_AHEAD = 4;
const RESYNC = 256;

/** XT_EXTENSION_MAXNAMELEN (29) less the terminating NUL. */
const MAX_CHAIN_NAME = 28;

/** A chain while its table is read; at COMMIT it becomes the table's Chain itself (no copy of tens of thousands). */
interface ChainDraft {
  readonly name: string;
  readonly hook: Hook | null;
  policy: Policy | null;
  counters: Counters | null;
  line: number | null;
  /** Replaced, never changed in place: a chain's rules are given to it a run at a time (see endRun). */
  rules: readonly Rule[];
  /** The order it was made in (built-in chains first, then user chains as declared): jumps are recorded by it (see callers). */
  readonly seq: number;
}

/** What every chain has until its first rule: one array for all of them, not one each. */
const NO_RULES: readonly Rule[] = [];

export class TableDraft {
  private readonly chains = new Map<string, ChainDraft>();
  /** Chains whose rules -I shifted: their numbers are assigned again at COMMIT. */
  private readonly renumbered = new Set<ChainDraft>();
  /** How many chains were made (ChainDraft.seq). */
  private made = 0;
  /** What refusedFrom says of each chain's rules together, by seq: which of them validation looks at again. */
  private readonly refusable: number[] = [];
  private used = false;

  constructor(
    readonly name: TableName,
    readonly line: number,
    private readonly file: string,
    private readonly report: (d: Diagnostic) => void,
  ) {
    for (const hook of BUILTIN_CHAINS[name]) {
      this.chains.set(hook, { name: hook, hook, policy: "ACCEPT", counters: null, line: null, rules: NO_RULES, seq: this.made++ });
      this.refusable.push(0);
    }
  }

  declaredChain(name: string): string | undefined {
    this.looked = this.chains.get(name);
    return this.looked?.name;
  }

  /** The chain declaredChain found last: the rule parser asks for a rule's -j or -g chain just before the rule is added. */
  private looked: ChainDraft | undefined;

  declareChain(name: Token | null, args: readonly Token[], line: number, column: number): void {
    this.used = true;
    if (!name) return this.fail("bad-chain", "chain line without a chain name", { line, column, length: 1 });
    const [policyWord, countersWord] = args;
    if (!this.checkChainName(name)) return;
    if (!policyWord) return this.fail("bad-chain", `chain ${name.text} has no policy (ACCEPT, DROP, or - for a user-defined chain)`, name);
    const counters = countersWord ? (parseCounters(countersWord.text) ?? null) : null;
    if (countersWord && !counters) {
      return this.fail("bad-counters", `"${countersWord.text}" is not a counter pair [packets:bytes]`, countersWord);
    }
    const hook = builtinHook(this.name, name.text);
    if (hook) {
      const chain = this.chains.get(hook)!;
      // "-" leaves the policy as it is, which iptables-restore accepts too.
      if (policyWord.text === "ACCEPT" || policyWord.text === "DROP") chain.policy = policyWord.text;
      else if (policyWord.text !== "-") {
        return this.fail("bad-policy", `built-in chain ${name.text} takes policy ACCEPT or DROP, not "${policyWord.text}"`, policyWord);
      }
      chain.counters = counters;
      chain.line = line;
      this.declared.push(chain);
      return;
    }
    // Set without asking has() first: one look into a map of tens of thousands of chains instead of two.
    const chain: ChainDraft = { name: name.text, hook: null, policy: null, counters, line, rules: NO_RULES, seq: this.made };
    const before = this.chains.size;
    this.chains.set(name.text, chain);
    if (this.chains.size > before) {
      this.made++;
      this.refusable.push(0);
      // Compared now, while both names are at hand, rather than when finish() sorts tens of thousands of chains it has not touched for long.
      const last = this.user.at(-1);
      if (last && last.name > chain.name) this.userSorted = false;
      this.user.push(chain);
      this.declared.push(chain);
      return;
    }
    // Declared again: iptables-restore (1.8.9, nf_tables) flushes the chain, which keeps its first declaration.
    const first = this.declared.findLast((c) => c.name === name.text)!;
    this.chains.set(name.text, first);
    if (first === this.lastChain) this.runLength = 0;
    first.rules = NO_RULES;
    this.renumbered.delete(first);
    this.callsInOrder = false;
  }

  addRule(parsed: ParsedRule, counters: Counters | null): void {
    this.used = true;
    const chain = this.chainNamed(parsed.chain.text);
    if (!chain) {
      return this.fail("unknown-chain", `chain ${parsed.chain.text} is not declared in table ${this.name} (declare it with ":${parsed.chain.text} - [0:0]")`, parsed.chain);
    }
    if (chain !== this.lastChain) {
      this.endRun();
      this.lastChain = chain;
    }
    if (parsed.command === "append") {
      const action = parsed.action;
      const callee = action === null || action.kind === "target" ? undefined : this.chainCalled(action.chain);
      for (const header of parsed.headers) {
        const number = chain.rules.length + this.runLength + 1;
        const rule: Rule = { table: this.name, number, chain: chain.name, line: parsed.chain.line, counters, header, matches: parsed.matches, action };
        this.run[this.runLength++] = rule;
        this.refusable[chain.seq]! |= refusedFrom(this.name, chain.hook, rule);
        if (callee) {
          this.callers.push(chain.seq);
          this.callees.push(callee.seq);
          this.callRules.push(rule);
        }
      }
      return;
    }
    this.endRun();
    const at = (parsed.position ?? 1) - 1;
    if (at > chain.rules.length) {
      return this.fail("bad-position", `chain ${chain.name} has ${chain.rules.length} rules; cannot insert at ${at + 1}`, parsed.chain);
    }
    const rules = parsed.headers.map((header, i) => ({
      table: this.name,
      number: at + 1 + i,
      chain: chain.name,
      line: parsed.chain.line,
      counters,
      header,
      matches: parsed.matches,
      action: parsed.action,
    }));
    chain.rules = chain.rules.toSpliced(at, 0, ...rules);
    for (const rule of rules) this.refusable[chain.seq]! |= refusedFrom(this.name, chain.hook, rule);
    this.renumbered.add(chain);
    this.callsInOrder = false;
  }

  /** A jump's chain: the one the rule parser just looked up (its name is that very string, compared at once), else found by name. */
  private chainCalled(name: string): ChainDraft {
    return this.looked?.name === name ? this.looked : this.chains.get(name)!;
  }

  /**
   * Each jump and goto of the rules appended, as (chain, chain called, rule) in the order the rules came
   * (the chains by their seq, read while they are at hand, so that COMMIT need not visit them again),
   * which is each chain's order of rules while no -I and no second declaration of a chain changed it: the
   * jump graph is then made from these, without looking every jump's chain up by name again.
   */
  private readonly callers: number[] = [];
  private readonly callees: number[] = [];
  private readonly callRules: Rule[] = [];
  private callsInOrder = true;

  /**
   * The rules appended to lastChain since it became the chain of the rules being read, and how many:
   * they become its array in one piece when another chain's rule comes (or the table ends). Pushed one
   * by one, most chains (a kube-proxy chain has two or three rules) would keep an array with room for
   * 17 that the garbage collector copies until the table is done.
   */
  private readonly run: Rule[] = [];
  private runLength = 0;

  private endRun(): void {
    if (this.runLength === 0) return;
    const chain = this.lastChain!;
    const run = lasting(this.run, this.runLength);
    chain.rules = chain.rules.length === 0 ? run : chain.rules.concat(run);
    this.runLength = 0;
  }

  /**
   * iptables-save lists a chain's rules together, chain after chain in the order it declares
   * them: the chain of a rule is nearly always the previous rule's, else one of the next few
   * declared, found without a lookup by name (a kube-proxy dump has tens of thousands of chains).
   */
  private lastChain: ChainDraft | undefined;
  /** Chains in the order their lines came, and how far the rules have come among them. */
  private readonly declared: ChainDraft[] = [];
  private lastDeclared = -1;
  /** The user chains as they were declared (by seq), and whether each came after the one before it by name (iptables-save sorts them). */
  private readonly user: ChainDraft[] = [];
  private userSorted = true;

  private chainNamed(name: string): ChainDraft | undefined {
    if (this.lastChain?.name === name) return this.lastChain;
    const from = this.lastDeclared + 1;
    for (let i = from; i < Math.min(this.declared.length, from + LOOK_AHEAD); i++) {
      if (this.declared[i]!.name === name) {
        this.lastDeclared = i;
        return this.declared[i];
      }
    }
    const chain = this.chains.get(name);
    // Further on (chains without rules were passed over), or elsewhere: the place follows the chain if it is near.
    for (let i = from; i < Math.min(this.declared.length, from + RESYNC); i++) {
      if (this.declared[i] === chain) {
        this.lastDeclared = i;
        break;
      }
    }
    return chain;
  }

  /** The finished table and its jump graph, or undefined when the dump only named it (iptables-nft then creates nothing). */
  finish(): { readonly table: Table; readonly graph: ChainGraph; readonly refusable: Uint8Array } | undefined {
    if (!this.used) return undefined;
    this.endRun();
    const builtins = BUILTIN_CHAINS[this.name].map((hook) => this.chains.get(hook)!);
    for (const draft of this.renumbered) draft.rules = draft.rules.map((rule, i) => ({ ...rule, number: i + 1 }));
    const chains = builtins.concat(this.userSorted ? this.user : this.user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    // Each chain's place in the table by seq: its seq itself when the user chains came sorted, so that
    // tens of thousands of chains, long out of the processor's caches, need not be read again.
    const place = new Int32Array(this.made);
    for (let i = 0; i < chains.length; i++) place[this.userSorted ? i : chains[i]!.seq] = i;
    const refusable = new Uint8Array(chains.length);
    for (let seq = 0; seq < this.made; seq++) refusable[place[seq]!] = this.refusable[seq]!;
    const hooks = new Uint8Array(chains.length);
    for (let i = 0; i < builtins.length; i++) hooks[i] = HOOK_BITS[builtins[i]!.hook!];
    const table: Table = { name: this.name, line: this.line, chains, chainsByName: this.chains };
    const graph = this.callsInOrder ? graphOfCalls(chains, hooks, this.recordedCalls(place)) : chainGraph(table);
    return { table, graph, refusable };
  }

  /**
   * The calls recorded, by the chains' places in the table (`place`, by seq): in the order they came
   * when the rules came chain after chain in table order (as iptables-save writes them), else grouped
   * by calling chain with a counting sort, which keeps their order; numbers only, the chains
   * themselves are not touched again.
   */
  private recordedCalls(place: Int32Array): ChainCalls {
    const chainCount = place.length;
    const { callers, callees, callRules } = this;
    const caller = new Int32Array(callers.length);
    const callee = new Int32Array(callers.length);
    let grouped = true;
    for (let k = 0; k < callers.length; k++) {
      caller[k] = place[callers[k]!]!;
      callee[k] = place[callees[k]!]!;
      if (k > 0 && caller[k]! < caller[k - 1]!) grouped = false;
    }
    if (grouped) return { caller, callee, rule: callRules };
    const next = new Int32Array(chainCount + 1);
    for (const at of caller) next[at + 1]!++;
    for (let i = 0; i < chainCount; i++) next[i + 1]! += next[i]!;
    const sorted = { caller: new Int32Array(callers.length), callee: new Int32Array(callers.length), rule: new Array<Rule>(callers.length) };
    for (let k = 0; k < callers.length; k++) {
      const at = next[caller[k]!]!++;
      sorted.caller[at] = caller[k]!;
      sorted.callee[at] = callee[k]!;
      sorted.rule[at] = callRules[k]!;
    }
    return sorted;
  }

  /** iptables' assert_valid_chain_name(). */
  private checkChainName(name: Token): boolean {
    const text = name.text;
    if (text.length > MAX_CHAIN_NAME) {
      this.fail("bad-chain", `chain name "${text}" is longer than ${MAX_CHAIN_NAME} characters`, name);
      return false;
    }
    if (text.startsWith("-") || text.startsWith("!")) {
      this.fail("bad-chain", `chain name "${text}" may not start with "${text[0]}"`, name);
      return false;
    }
    if (isKnownTargetName(text) || VERDICTS.has(text)) {
      this.fail("bad-chain", `chain name "${text}" is the name of a target`, name);
      return false;
    }
    return true;
  }

  private fail(code: string, message: string, at: Token | { line: number; column: number; length: number }): void {
    this.report(error(code, message, { file: this.file, line: at.line, column: at.column, length: Math.max(1, at.length) }));
  }
}

const VERDICTS = new Set(["ACCEPT", "DROP", "RETURN", "QUEUE"]);

/** `[0:0]`, which nearly every chain line has, shared (Counters are read-only). */
const ZERO_COUNTERS: Counters = Object.freeze({ packets: 0n, bytes: 0n });

function parseCounters(text: string): Counters | undefined {
  if (text === "[0:0]") return ZERO_COUNTERS;
  const m = /^\[([0-9]+):([0-9]+)\]$/.exec(text);
  return m ? { packets: BigInt(m[1]!), bytes: BigInt(m[2]!) } : undefined;
}
