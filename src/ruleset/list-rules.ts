/**
 * `iptables -S` (`--list-rules`) output read as rules. Each table's output is its built-in
 * chains' policies (`-P INPUT ACCEPT`), its chains (`-N DOCKER`) and its rules (`-A …`), with
 * `-c PACKETS BYTES` counters under `-v`; it never names the table. This turns such lines into
 * the lines of the iptables-save dump that says the same (`*filter`, `:INPUT ACCEPT [0:0]`,
 * `:DOCKER - [0:0]`, the rules, COMMIT), each keeping its place in the user's text.
 *
 * Which table: a pasted command line before the output says it (`# iptables -t nat -S`,
 * `root@host:~# iptables -t nat -S`; without `-t` it is filter). Without one, the policies
 * say it, as each table has its own set of built-in chains: INPUT FORWARD OUTPUT is filter,
 * PREROUTING INPUT OUTPUT POSTROUTING nat, all five mangle, PREROUTING OUTPUT raw; output
 * without policies (`iptables -S DOCKER`) is filter. Outputs pasted one after another split
 * where a command line stands or where policies start again.
 */
import { error, type Diagnostic } from "../diag/index.js";
import { commentCommand, pastedCommand, type PastedCommand } from "../parse/input-format.js";
import type { CountersNode, LineContent, LineNode, RuleWords, Token } from "../parse/syntax.js";
import { BUILTIN_CHAINS, builtinHook, HOOKS, isTableName, type Family, type TableName } from "../model/types.js";

/** A table's output while it is read; its lines go out once its table is known. */
interface Segment {
  /** The table a pasted command line named, if one did. */
  readonly named: Token | undefined;
  readonly firstLine: number;
  /** `-P` lines, held until the table is known. */
  readonly policies: { readonly chain: Token; readonly args: readonly Token[]; readonly line: number }[];
  /** The table line was sent: lines now go straight out. */
  opened: boolean;
  /** No table fits its policies (said once): the rest of its lines are skipped. */
  failed: boolean;
  lastLine: number;
}

export class ListRulesReader {
  private segment: Segment | undefined;

  constructor(
    private readonly file: string,
    private readonly family: Family,
    /** Takes the dump lines made from the user's lines. */
    private readonly emit: (line: LineNode) => void,
    private readonly report: (d: Diagnostic) => void,
  ) {}

  line(node: LineNode): void {
    const content = node.content;
    if (!content) return;
    switch (content.kind) {
      case "comment": {
        const command = commentCommand(content.text, node.line, node.leadingBlanks + 2);
        if (command?.listsRules) this.header(command, node.line);
        return;
      }
      case "table":
      case "chain":
      case "commit":
        return this.fail("mixed-input", "a line of iptables-save output among `iptables -S` output: give one or the other", node.line, content.loc.column, 1);
      case "rule":
        return this.listLine(content, node.line);
    }
  }

  /** Ends the last table's output. */
  finish(): void {
    this.close();
  }

  private listLine(content: Extract<LineContent, { kind: "rule" }>, line: number): void {
    const words = content.words;
    if (words.count === 0) return;
    // Rules, the bulk of the output, go on as words; the other lines are read as tokens.
    const command = words.text(0);
    if (/^(?:-[AI]|--append|--insert)$/.test(command) && !this.segment?.failed) return this.rule(words, content.counters, line);
    if (command === "-P" || command === "--policy") return this.policy(words, line);
    if (this.segment?.failed) return;
    const tokens = words.tokens();
    if (command === "-N" || command === "--new-chain") return this.newChain(tokens[0]!, tokens.slice(1), line);
    const pasted = pastedCommand(tokens);
    if (pasted?.listsRules) return this.header(pasted, line);
    this.fail("not-list-rules", `"${command}" does not start a line of \`iptables -S\` output (-P, -N or -A)`, line, words.column(0), words.length(0));
  }

  /** `iptables -t nat -S`: a new table's output starts. */
  private header(command: PastedCommand, line: number): void {
    const program = this.family === "ipv6" ? "ip6tables" : "iptables";
    if (command.program !== program) {
      return this.fail("wrong-family", `\`${command.program}\` output among ${program} rules: give each family's rules in a file of its own`, line, 1, 1);
    }
    this.close();
    // `iptables -S` without -t lists the filter table.
    this.segment = newSegment(command.table ?? { text: "filter", quoted: false, line, column: 1, length: 1 }, line);
  }

  private policy(words: RuleWords, line: number): void {
    const [word, ...args] = words.tokens();
    const current = this.segment;
    // A table's output gives its policies first, in hook order: a policy after the rest, or one
    // not after the last in that order (raw's OUTPUT, then filter's INPUT), starts the next table's.
    const last = current?.policies.at(-1);
    if (!current || current.opened || current.failed || (last && hookOrder(args[0]?.text) <= hookOrder(last.chain.text))) {
      this.close();
      this.segment = newSegment(undefined, line);
    }
    const [chain, policy, ...more] = args;
    const counters = more.length === 0 ? undefined : more.length === 3 ? countersOf(words, 3) : undefined;
    if (!chain || !policy || (more.length > 0 && counters === undefined)) {
      return this.fail("bad-policy-line", "-P takes a built-in chain and a policy: -P INPUT ACCEPT (-c PACKETS BYTES after them under -v)", line, word!.column, word!.length);
    }
    this.segment!.policies.push({ chain, args: counters ? [policy, countersToken(counters)] : [policy], line });
    this.segment!.lastLine = line;
  }

  private newChain(word: Token, args: readonly Token[], line: number): void {
    const [chain, ...more] = args;
    if (!chain || more.length > 0) return this.fail("bad-chain-line", "-N takes one chain name: -N DOCKER", line, word.column, word.length);
    if (!this.open(this.current(line), line)) return;
    this.emitLine(line, { kind: "chain", name: chain, args: [{ ...word, text: "-" }], loc: { line, column: word.column } });
  }

  private rule(words: RuleWords, counters: CountersNode | null, line: number): void {
    if (!this.open(this.current(line), line)) return;
    // `-v` puts the counters before the target: `-A INPUT -i lo -c 10 840 -j ACCEPT`.
    const at = countersAt(words);
    const inRule = at === undefined ? undefined : countersOf(words, at);
    this.emitLine(line, { kind: "rule", counters: counters ?? inRule ?? null, words: at === undefined ? words : words.without(at, 3) });
  }

  /** The table output being read; lines before any policy or command line start one. */
  private current(line: number): Segment {
    return (this.segment ??= newSegment(undefined, line));
  }

  /** Sends the table line and the held policies, once; false when the segment is skipped. */
  private open(segment: Segment, line: number): boolean {
    segment.lastLine = line;
    if (segment.failed) return false;
    if (segment.opened) return true;
    const table = segment.named ?? this.tableOfPolicies(segment);
    if (!table || (segment.named && !this.policiesFit(segment, table.text))) {
      segment.failed = true;
      return false;
    }
    segment.opened = true;
    this.emitLine(segment.firstLine, { kind: "table", name: table, args: [], loc: { line: table.line, column: table.column } });
    for (const p of segment.policies) this.emitLine(p.line, { kind: "chain", name: p.chain, args: p.args, loc: { line: p.line, column: p.chain.column } });
    return true;
  }

  /** The table whose built-in chains the policies name, as a word placed at the first policy. */
  private tableOfPolicies(segment: Segment): Token | undefined {
    const chains = new Set(segment.policies.map((p) => p.chain.text));
    const exact = INFERRED_TABLES.find((t) => BUILTIN_CHAINS[t].length === chains.size && BUILTIN_CHAINS[t].every((c) => chains.has(c)));
    const name = exact ?? ([...chains].every((c) => isBuiltin("filter", c)) ? "filter" : undefined);
    const at = segment.policies[0];
    if (name) return { text: name, quoted: false, line: at?.line ?? segment.firstLine, column: 1, length: 2 };
    this.fail("unknown-list-table", `the policies of ${[...chains].join(", ")} fit no one table: put the command that printed them before them, e.g. \`# iptables -t nat -S\``, at!.line, 1, 2);
    return undefined;
  }

  /** Whether every policy is of a built-in chain of the table the command line named (`iptables -P` refuses others). */
  private policiesFit(segment: Segment, table: string): boolean {
    if (!isTableName(table)) return true; // the loader says the table is unknown
    const stray = segment.policies.find((p) => !isBuiltin(table, p.chain.text));
    if (!stray) return true;
    this.fail(
      "bad-policy-line",
      `${stray.chain.text} is not a built-in chain of table ${table}, so it has no policy: was this printed by another table's \`iptables -t TABLE -S\`?`,
      stray.line,
      stray.chain.column,
      stray.chain.length,
    );
    return false;
  }

  /** Ends the current table's output with COMMIT. */
  private close(): void {
    const segment = this.segment;
    this.segment = undefined;
    if (!segment || segment.failed || (!segment.opened && segment.policies.length === 0)) return;
    if (!this.open(segment, segment.lastLine)) return;
    this.emitLine(segment.lastLine, { kind: "commit", loc: { line: segment.lastLine, column: 1 } });
  }

  private emitLine(line: number, content: LineContent): void {
    this.emit({ line, content, leadingBlanks: 0, trailingBlanks: 0, crlf: false });
  }

  private fail(code: string, message: string, line: number, column: number, length: number): void {
    this.report(error(code, message, { file: this.file, line, column, length }));
  }
}

/** The tables told apart by their built-in chains (security has filter's: it needs its command line). */
const INFERRED_TABLES: readonly TableName[] = ["filter", "nat", "mangle", "raw"];

/** Where a built-in chain comes in iptables' listing (an unknown name first, so it starts a new table's). */
const hookOrder = (chain: string | undefined): number => (HOOKS as readonly (string | undefined)[]).indexOf(chain);

const isBuiltin = (table: TableName, chain: string): boolean => builtinHook(table, chain) !== undefined;

function newSegment(named: Token | undefined, line: number): Segment {
  return { named, firstLine: line, policies: [], opened: false, failed: false, lastLine: line };
}

/** Where `-c PACKETS BYTES` stands in a rule's words: before its target, or last. */
function countersAt(words: RuleWords): number | undefined {
  for (let i = words.count - 3; i > 0; i--) {
    if ((i + 3 === words.count || words.is(i + 3, "-j") || words.is(i + 3, "-g")) && countersOf(words, i)) return i;
  }
  return undefined;
}

/** `-c PACKETS BYTES` as a counters node, from the three words at `at`. */
function countersOf(words: RuleWords, at: number): CountersNode | undefined {
  if (words.quoted(at) || (!words.is(at, "-c") && !words.is(at, "--set-counters"))) return undefined;
  const packets = words.text(at + 1);
  const bytes = words.text(at + 2);
  if (!/^\d+$/.test(packets) || !/^\d+$/.test(bytes)) return undefined;
  return { packets: BigInt(packets), bytes: BigInt(bytes), line: words.line, column: words.column(at) };
}

/** A chain line's `[PACKETS:BYTES]` word. */
function countersToken(c: CountersNode): Token {
  return { text: `[${c.packets}:${c.bytes}]`, quoted: false, line: c.line, column: c.column, length: 2 };
}
