/**
 * Dump text → Ruleset: the syntax layer splits lines, this layer gives them
 * meaning table by table (as iptables-restore does, COMMIT by COMMIT), and
 * validation then checks what the kernel checks when the tables are loaded.
 */
import { DiagnosticBag, error, warning, type Diagnostic } from "../diag/index.js";
import { parseDumpSyntax, type DumpText } from "../parse/parse-dump.js";
import type { LineNode, RuleWords, Token } from "../parse/syntax.js";
import { detectInputFormat } from "../parse/input-format.js";
import { detectFamily } from "../model/family.js";
import { ListRulesReader } from "./list-rules.js";
import { parseRule, type RuleContext } from "./rule-parser.js";
import { TableDraft } from "./table-draft.js";
import type { Family, TableName } from "../model/types.js";
import type { Ruleset, Table } from "./types.js";
import { isTableName, TABLE_NAMES } from "../model/types.js";
import { validateTable } from "./validate.js";

/** How {@link parseRuleset} reads a dump. */
export interface LoadOptions {
  /** Shown in diagnostics; `-` for standard input. */
  readonly file?: string;
  /** Which iptables: detected from the dump when absent. */
  readonly family?: Family;
}

/** The ruleset with any warnings, or every error found (nothing is loaded then); diagnostics point into the dump. */
export type LoadResult =
  | { readonly ok: true; readonly ruleset: Ruleset; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly ok: false;
      readonly diagnostics: readonly Diagnostic[];
      /** The text is another command's output (`iptables -L`, `nft list ruleset`): the one diagnostic says which command to run instead. */
      readonly otherOutput?: true;
    };

const ONCE_PER_DUMP = new Set(["unknown-match", "unknown-target", "old-negation"]);

/** Stop listing errors after this many; the first ones are what a user fixes first. */
const MAX_ERRORS = 50;

/**
 * Loads a dump, or `iptables -S` output (list-rules.ts): its text, or its pieces as a large
 * file is read (see DumpText).
 */
export function parseRuleset(text: DumpText, options: LoadOptions = {}): LoadResult {
  const file = options.file ?? "<input>";
  const format = detectInputFormat(text, file);
  if (format.kind === "other-output") return { ok: false, diagnostics: [format.diagnostic], otherOutput: true };
  const pastedFamily = format.kind === "list-rules" && format.ipv6 !== undefined ? (format.ipv6 ? "ipv6" : "ipv4") : undefined;
  const family = options.family ?? pastedFamily ?? detectFamily(text, file);
  const bag = new DiagnosticBag();
  const loader = new Loader(file, family, bag);
  const listRules =
    format.kind === "list-rules"
      ? new ListRulesReader(
          file,
          family,
          (line) => loader.line(line),
          (d) => loader.report(d),
        )
      : undefined;
  const syntax = parseDumpSyntax(text, file, listRules ? (line) => listRules.line(line) : (line) => loader.line(line));
  if (!syntax.ok) return { ok: false, diagnostics: [...bag.errors, syntax.error] };
  listRules?.finish();
  const tables = loader.finish();
  if (bag.hasErrors) return { ok: false, diagnostics: bag.items };
  const ordered = TABLE_NAMES.flatMap((name) => tables.get(name) ?? []);
  const ruleset: Ruleset = { family, file, tables: ordered, tablesByName: new Map(ordered.map((t) => [t.name, t])) };
  return { ok: true, ruleset, diagnostics: bag.items };
}

/** Takes the dump's lines one by one, as iptables-restore does. */
class Loader {
  private current: TableDraft | undefined;
  private readonly tables = new Map<TableName, Table>();
  private lastLine = 0;
  private lastHadContent = false;
  private readonly layout = { crlf: false, trailing: false, leading: false };

  constructor(
    private readonly file: string,
    private readonly family: Family,
    private readonly bag: DiagnosticBag,
  ) {}

  line(line: LineNode): void {
    this.lastLine = line.line;
    this.lastHadContent = line.content !== null;
    this.noteLayout(line);
    if (this.bag.errorCount < MAX_ERRORS) this.loadLine(line);
  }

  finish(): Map<TableName, Table> {
    this.countRepeats();
    if (this.current) {
      const atEnd = this.lastLine + (this.lastHadContent ? 1 : 0);
      this.report(error("missing-commit", `table ${this.current.name} (line ${this.current.line}) is not closed by COMMIT`, { file: this.file, line: Math.max(1, atEnd), column: 1, length: 1 }));
    }
    return this.tables;
  }

  private loadLine(line: LineNode): void {
    const content = line.content;
    if (!content) return;
    switch (content.kind) {
      case "comment":
        return;
      case "table":
        return this.openTable(content.name, content.loc.line, content.loc.column);
      case "chain":
        if (!this.current) return this.outsideTable(line.line, content.loc.column, "a chain line");
        return this.current.declareChain(content.name, content.args, content.loc.line, content.loc.column);
      case "commit":
        if (!this.current) return this.outsideTable(line.line, content.loc.column, "COMMIT");
        return this.commit();
      case "rule": {
        if (!this.current) return this.outsideTable(line.line, content.counters?.column ?? content.words.column(0), "a rule");
        return this.addRule(content.words, content.counters);
      }
    }
  }

  private openTable(name: Token | null, line: number, column: number): void {
    if (this.current) {
      this.report(error("missing-commit", `table ${this.current.name} (line ${this.current.line}) must end with COMMIT before a new table starts`, this.span(line, column, 1)));
      this.current = undefined;
    }
    if (!name || !isTableName(name.text)) {
      const shown = name ? `"${name.text}"` : "no name";
      this.report(error("unknown-table", `unknown table ${shown}: iptables has ${TABLE_NAMES.join(", ")}`, name ? this.tokenSpan(name) : this.span(line, column, 1)));
      return;
    }
    if (this.tables.has(name.text)) {
      this.report(warning("table-reloaded", `table ${name.text} appears again: iptables-restore flushes it, so only this later copy counts`, this.tokenSpan(name)));
      this.tables.delete(name.text);
    }
    this.current = new TableDraft(name.text, line, this.file, (d) => this.report(d));
    this.ruleContext = undefined;
  }

  private addRule(words: RuleWords, counters: { packets: bigint; bytes: bigint } | null): void {
    const table = this.current!;
    this.ruleContext ??= {
      file: this.file,
      family: this.family,
      table: table.name,
      declaredChain: (name) => table.declaredChain(name),
      report: (d) => this.report(d),
    };
    const parsed = parseRule(words, this.ruleContext);
    if ("code" in parsed) return this.report(parsed);
    table.addRule(parsed, parsed.counters ?? counters);
  }

  /** The rule parser's view of the current table, made once per table. */
  private ruleContext: RuleContext | undefined;

  private commit(): void {
    const done = this.current!.finish();
    this.current = undefined;
    if (!done) return;
    for (const d of validateTable(done.table, done.graph, done.refusable, this.file)) this.report(d);
    this.tables.set(done.table.name, done.table);
  }

  private outsideTable(line: number, column: number, what: string): void {
    this.report(error("outside-table", `${what} outside a table: start one with *filter, *nat, …`, this.span(line, column, 1)));
  }

  /** Layout that today's iptables-restore rejects but older ones took: warn once per kind. */
  private noteLayout(line: LineNode): void {
    if (line.crlf && !this.layout.crlf) {
      this.layout.crlf = true;
      this.report(warning("crlf", "the dump has CRLF line ends; iptables-restore wants LF", this.span(line.line, 1, 1)));
    }
    if (line.trailingBlanks > 0 && line.content && !this.layout.trailing) {
      this.layout.trailing = true;
      this.report(warning("trailing-blanks", 'lines end in blanks; iptables-nft refuses "COMMIT " with a trailing blank', this.span(line.line, 1, 1)));
    }
    // Blanks before a rule are harmless; before anything else iptables-restore misreads the line.
    if (line.leadingBlanks > 0 && line.content && line.content.kind !== "rule" && !this.layout.leading) {
      this.layout.leading = true;
      this.report(warning("leading-blanks", "a line starts with blanks; iptables-restore wants none before *, :, # and COMMIT", this.span(line.line, 1, line.leadingBlanks)));
    }
  }

  /** Warnings that would repeat on every rule using the same extension are given once, with a count. */
  private readonly repeats = new Map<string, { first: Diagnostic; more: number }>();

  report(d: Diagnostic): void {
    if (d.severity === "warning" && ONCE_PER_DUMP.has(d.code)) {
      const seen = this.repeats.get(d.message);
      if (seen) {
        seen.more++;
        return;
      }
      this.repeats.set(d.message, { first: d, more: 0 });
    }
    this.bag.add(d);
  }

  private countRepeats(): void {
    for (const { first, more } of this.repeats.values()) {
      if (more === 0) continue;
      const at = this.bag.items.indexOf(first);
      this.bag.items[at] = { ...first, notes: [...(first.notes ?? []), `the same on ${more} more rule${more === 1 ? "" : "s"}`] };
    }
  }

  private span(line: number, column: number, length: number) {
    return { file: this.file, line, column, length };
  }

  private tokenSpan(token: Token) {
    return this.span(token.line, token.column, token.length);
  }
}
