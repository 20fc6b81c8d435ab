/**
 * Reads the words of one rule line the way iptables' do_parse() does:
 * built-in options (-s, -d, -i, -o, -p, -f, -m, -j, -g), then the options of
 * the loaded extensions (the most recently loaded one first, as libxtables
 * merges option tables), long options by unique prefix as getopt_long allows,
 * and the protocol match loaded on demand (`-p tcp --dport 80`).
 */
import { error, warning, type Diagnostic } from "../diag/index.js";
import type { RuleWords, Token } from "../parse/syntax.js";
import { findMatch, findTarget, isKnownTargetName, isOtherFamilyMatch, removedTarget } from "../ext/registry.js";
import type { MatchExtension, OptionSpec, OptionUse, ParseContext, TargetExtension } from "../ext/types.js";
import { unknownMatch, unknownTarget } from "../ext/unknown.js";
import { protocolName, protocolNumber } from "../ext/values.js";
import { parseCidr } from "../model/address.js";
import type { Cidr, Counters, Family, HeaderMatch, Negatable, TableName } from "../model/types.js";
import type { MatchUse, RuleAction, TargetUse } from "./types.js";
import { lasting } from "./lasting.js";

export interface RuleContext {
  readonly file: string;
  readonly family: Family;
  readonly table: TableName;
  /** The name of the chain declared so far in the table under this name, if any (one string shared by every rule that jumps there). */
  readonly declaredChain: (name: string) => string | undefined;
  readonly report: (d: Diagnostic) => void;
}

export interface ParsedRule {
  readonly command: "append" | "insert";
  readonly chain: Token;
  /** 1-based insert position for -I. */
  readonly position: number | undefined;
  /** One header per rule: `-s a,b` makes iptables add a rule per address. */
  readonly headers: readonly HeaderMatch[];
  readonly matches: readonly MatchUse[];
  readonly action: RuleAction | null;
  /** `-c PACKETS,BYTES` in the rule: the counters it starts with. */
  readonly counters?: Counters;
}

/** Thrown inside this module only; parseRule turns it into a diagnostic value. */
class RuleError {
  constructor(readonly diagnostic: Diagnostic) {}
}

/**
 * A word of the rule: its index among the line's words, or a Token made for an argument
 * given inside an option's word (`-ptcp`, `--dport=80`), which is no word of its own.
 */
type Word = number | Token;

type BuiltinName = "append" | "insert" | "source" | "destination" | "in-interface" | "out-interface" | "protocol" | "fragment" | "match" | "jump" | "goto" | "set-counters";

interface BuiltinOption extends OptionSpec {
  readonly name: BuiltinName;
  readonly short: string;
}

const BUILTIN_OPTIONS: readonly BuiltinOption[] = [
  { name: "append", short: "A", args: 1 },
  { name: "insert", short: "I", args: 1 },
  { name: "source", short: "s", aliases: ["src"], args: 1, invertible: true },
  { name: "destination", short: "d", aliases: ["dst"], args: 1, invertible: true },
  { name: "in-interface", short: "i", args: 1, invertible: true },
  { name: "out-interface", short: "o", args: 1, invertible: true },
  { name: "protocol", short: "p", args: 1, invertible: true },
  { name: "fragment", short: "f", args: 0, invertible: true },
  { name: "match", short: "m", args: 1 },
  { name: "jump", short: "j", args: 1 },
  { name: "goto", short: "g", args: 1 },
  // `-c P,B` or `-c P B`: one word, and a second when the first has no comma.
  { name: "set-counters", short: "c", args: 1 },
];

/** An extension loaded by the rule, with the option words given to it so far. */
interface Loaded<E extends MatchExtension | TargetExtension> {
  readonly extension: E;
  readonly at: Word;
  /** The extension's options by `--name` (empty for an unmodelled one). */
  readonly options: ReadonlyMap<string, OptionSpec>;
  uses: OptionUse[];
  /** Where the uses of the latest `-m NAME` begin, for extensions whose repeated uses merge. */
  groupStart: number;
  /** Words of an unmodelled extension, kept verbatim. */
  readonly words: Token[] | undefined;
}

interface ResolvedBuiltin {
  readonly kind: "builtin";
  readonly spec: BuiltinOption;
  /** The option's bit in RuleParser.seenBuiltins. */
  readonly bit: number;
}
type Resolved = ResolvedBuiltin | { readonly kind: "extension"; readonly spec: OptionSpec; readonly owner: Loaded<MatchExtension | TargetExtension> };

/** One Resolved per built-in option, shared by every rule (they are never changed). */
const BUILTIN_RESOLVED: readonly ResolvedBuiltin[] = BUILTIN_OPTIONS.map((spec, i) => ({ kind: "builtin", spec, bit: 1 << i }));
/**
 * Options are found by their whole word (`--source`, not `source`): an exact
 * name, the usual case, is looked up without taking a piece of the word.
 */
const BUILTIN_BY_LONG = new Map<string, ResolvedBuiltin>(BUILTIN_RESOLVED.flatMap((r) => [r.spec.name, ...(r.spec.aliases ?? [])].map((n) => [`--${n}`, r] as const)));
/** `-s` by the code of its letter, read in place (an array: a Map hashes each number). */
const BUILTIN_BY_LETTER: (ResolvedBuiltin | undefined)[] = [];
for (const r of BUILTIN_RESOLVED) BUILTIN_BY_LETTER[r.spec.short.charCodeAt(0)] = r;

/**
 * The last names a lookup answered, compared with a rule's word in place: a dump names
 * the same few protocols and matches rule after rule (`-p tcp`, `-m comment`), and a
 * word found here is neither taken out of its line nor hashed.
 */
class RecentNames<T> {
  private readonly names: string[] = [];
  private readonly values: T[] = [];
  /** The slot the next new name takes once all are used. */
  private oldest = 0;

  find(words: RuleWords, i: number): T | undefined {
    for (let k = 0; k < this.names.length; k++) if (words.is(i, this.names[k]!)) return this.values[k];
    return undefined;
  }

  remember(name: string, value: T): void {
    if (this.names.length < RECENT_NAMES) {
      this.names.push(name);
      this.values.push(value);
      return;
    }
    this.names[this.oldest] = name;
    this.values[this.oldest] = value;
    this.oldest = (this.oldest + 1) % RECENT_NAMES;
  }
}
/** Enough for the matches and protocols most dumps name; the registry they answer for never changes. */
const RECENT_NAMES = 8;
const RECENT_PROTOCOLS = new RecentNames<number>();
const RECENT_MATCHES = { ipv4: new RecentNames<MatchExtension>(), ipv6: new RecentNames<MatchExtension>() };

/** Each extension's options by `--name` for every name they answer to, built once per extension. */
const optionIndex = new WeakMap<MatchExtension | TargetExtension, Map<string, OptionSpec>>();
function optionsByName(extension: MatchExtension | TargetExtension): Map<string, OptionSpec> {
  let index = optionIndex.get(extension);
  if (!index) {
    index = new Map<string, OptionSpec>(extension.options.flatMap((o) => [o.name, ...(o.aliases ?? [])].map((n) => [`--${n}`, o] as const)));
    optionIndex.set(extension, index);
  }
  return index;
}
const NO_OPTIONS: ReadonlyMap<string, OptionSpec> = new Map();

const IFNAMSIZ = 16;
const DASH = "-".charCodeAt(0);

/**
 * iptables 1.8.9's do_parse reads these options' argument as argv[optind - 1]: given in
 * the same word (`-ptcp`, `--source=1.2.3.4`), the argument is the whole word, which
 * then is no protocol or address (and `-ieth0` is the interface "-ieth0").
 */
const WHOLE_WORD_ARGUMENT: ReadonlySet<BuiltinName> = new Set(["source", "destination", "in-interface", "out-interface", "protocol", "jump"]);

/**
 * An option's arguments while they are gathered, reused from option to option:
 * an array grown by push keeps room for 16, and rules have several options each.
 */
const gathered: Word[] = [];

export function parseRule(words: RuleWords, ctx: RuleContext): ParsedRule | Diagnostic {
  try {
    return new RuleParser(words, ctx).parse();
  } catch (e) {
    if (e instanceof RuleError) return e.diagnostic;
    throw e;
  }
}

class RuleParser {
  private readonly matches: Loaded<MatchExtension>[] = [];
  private target: Loaded<TargetExtension> | undefined;
  private action: RuleAction | null = null;
  private command: { kind: "append" | "insert"; chain: Token; position: number | undefined } | undefined;
  private sources: Negatable<Cidr>[] | undefined;
  private destinations: Negatable<Cidr>[] | undefined;
  header: MutableHeader = emptyHeader();
  /** The word `-p` and the match its protocol loads on demand (`-p tcp --dport 80`), when it names one. */
  private protocolWord: number | undefined;
  private protocolMatchName: string | undefined;
  private protocolUsed = false;
  private counters: Counters | undefined;
  /** Built-in options given so far, one bit each (by their place in BUILTIN_OPTIONS). */
  private seenBuiltins = 0;
  /** The argument resolve() found inside the option's word (`--dport=80`, `-ptcp`). */
  private inlineArg: Word | undefined;
  /** The long option word resolve() read last, kept for its token (every extension option is long). */
  private optionText = "";

  constructor(
    private readonly words: RuleWords,
    readonly ctx: RuleContext,
  ) {}

  parse(): ParsedRule {
    const words = this.words;
    const n = words.count;
    let i = 0;
    let invert: number | undefined;
    while (i < n) {
      const word = i++;
      if (this.isBang(word)) {
        if (invert !== undefined) this.fail(word, 'multiple "!" in a row are not allowed', "bad-negation");
        invert = word;
        continue;
      }
      const resolved = this.resolve(word);
      const needed = resolved.spec.args;
      let count = 0;
      if (this.inlineArg !== undefined) gathered[count++] = this.inlineArg;
      while (count < needed) {
        if (i >= n) this.fail(word, `option ${words.text(word)} needs ${needed === 1 ? "an argument" : `${needed} arguments`}`, "missing-argument");
        const next = i++;
        // The old intrapositioned form `-s ! 10.0.0.0/8` (iptables before 1.4.3).
        if (count === 0 && this.isBang(next) && resolved.spec.invertible) {
          if (invert !== undefined) this.fail(next, 'multiple "!" for one option are not allowed', "bad-negation");
          this.warn(next, `"${words.text(word)} ! value" is the old form of negation; today's iptables wants "! ${words.text(word)} value"`, "old-negation");
          invert = next;
          continue;
        }
        gathered[count++] = next;
      }
      if (invert !== undefined && !resolved.spec.invertible) this.fail(invert, `option ${words.text(word)} cannot be negated with "!"`, "bad-negation");
      const negated = invert !== undefined;
      invert = undefined;
      if (resolved.kind === "builtin") {
        // A built-in option takes one word or none, used at once: no array of it is made.
        const arg = count === 0 ? undefined : gathered[0]!;
        if (arg === word) {
          const short = `-${resolved.spec.short}`;
          const text = words.text(word);
          this.warn(
            word,
            `iptables 1.8.9 takes the whole word "${text}" as the argument of ${short} (later versions split it off): write "${short} ${text.slice(text.startsWith("--") ? text.indexOf("=") + 1 : 2)}"`,
            "inline-argument",
          );
        }
        i = this.applyBuiltin(resolved, word, arg, negated, i);
      } else {
        // Extensions receive their words as tokens.
        const args: Token[] = [];
        for (let k = 0; k < count; k++) args.push(this.tokenOf(gathered[k]!));
        if (resolved.spec.optionalArg && i < n) {
          const optional = words.text(i);
          if (!optional.startsWith("-") && !optional.startsWith("!")) args.push(words.token(i++));
        }
        this.applyExtensionOption(resolved, words.token(word, this.optionText), args, negated);
      }
    }
    if (invert !== undefined) this.fail(invert, '"!" at the end of the rule negates nothing', "bad-negation");
    if (!this.command) this.fail(n > 0 ? 0 : this.placeholder(), "rule line without -A CHAIN", "missing-chain");
    return this.finish();
  }

  /** The word is a bare `!`. */
  private isBang(i: number): boolean {
    return !this.words.quoted(i) && this.words.is(i, "!");
  }

  /** Finds the option a word names; loads the protocol match on demand. */
  private resolve(word: number): Resolved {
    const words = this.words;
    // Built-in short options are told by their letter, without taking the word's text out.
    if (words.quoted(word) || words.charCodeAt(word, 0) !== DASH || words.length(word) === 1) {
      this.fail(word, `unexpected argument "${words.text(word)}": an option (-x or --name) was expected`, "bad-argument");
    }
    if (words.charCodeAt(word, 1) !== DASH) {
      const builtin = BUILTIN_BY_LETTER[words.charCodeAt(word, 1)];
      if (!builtin) this.fail(word, `unknown option "${words.text(word)}"`, "unknown-option");
      this.inlineArg = words.length(word) > 2 ? (WHOLE_WORD_ARGUMENT.has(builtin.spec.name) ? word : this.inlineToken(word, 2)) : undefined;
      return builtin;
    }
    const text = words.text(word);
    this.optionText = text;
    const eq = text.indexOf("=");
    this.inlineArg = eq === -1 ? undefined : this.inlineToken(word, eq + 1);
    const key = eq === -1 ? text : text.slice(0, eq);
    let resolved = this.lookup(key, word);
    if (!resolved && this.loadProtocolMatch()) resolved = this.lookup(key, word);
    if (!resolved) this.fail(word, `unknown option "${text}"${this.unknownOptionHint()}`, "unknown-option");
    if (eq !== -1 && resolved.kind === "builtin" && WHOLE_WORD_ARGUMENT.has(resolved.spec.name)) this.inlineArg = word;
    if (resolved.kind === "extension" && resolved.owner.extension.kind === "match" && resolved.owner.extension.name === this.protocolMatchName) this.protocolUsed = true;
    return resolved;
  }

  /** The argument in a word after its first `skip` characters (`-ptcp`, `--dport=80`). */
  private inlineToken(word: number, skip: number): Token {
    const words = this.words;
    return { text: words.text(word).slice(skip), quoted: false, line: words.line, column: words.column(word) + skip, length: words.length(word) - skip };
  }

  /** getopt_long over the merged table (`key` is `--name`): an exact name wins, else a unique prefix. */
  private lookup(key: string, word: number): Resolved | undefined {
    const builtin = BUILTIN_BY_LONG.get(key);
    if (builtin) return builtin;
    // Newest first, as loadedNewestFirst() orders them, without building the list.
    const target = this.target;
    if (target) {
      const spec = target.options.get(key);
      if (spec) return { kind: "extension", spec, owner: target };
    }
    for (let i = this.matches.length - 1; i >= 0; i--) {
      const owner = this.matches[i]!;
      const spec = owner.options.get(key);
      if (spec) return { kind: "extension", spec, owner };
    }
    const name = key.slice(2);
    if (name.length === 0) return undefined;
    const loaded = this.loadedNewestFirst();
    const names = (spec: OptionSpec) => [spec.name, ...(spec.aliases ?? [])];
    const prefixed: Resolved[] = [
      ...BUILTIN_RESOLVED.filter((r) => names(r.spec).some((n) => n.startsWith(name))),
      ...loaded.flatMap((owner) => owner.extension.options.filter((spec) => names(spec).some((n) => n.startsWith(name))).map((spec): Resolved => ({ kind: "extension", spec, owner }))),
    ];
    const distinct = new Set(prefixed.map((r) => r.spec));
    if (distinct.size > 1) {
      this.fail(word, `option "--${name}" is ambiguous: it could be ${[...distinct].map((s) => `--${s.name}`).join(" or ")}`, "ambiguous-option");
    }
    return prefixed[0];
  }

  private loadedNewestFirst(): Loaded<MatchExtension | TargetExtension>[] {
    const all: Loaded<MatchExtension | TargetExtension>[] = [];
    if (this.target?.words === undefined && this.target) all.push(this.target);
    for (let i = this.matches.length - 1; i >= 0; i--) if (this.matches[i]!.words === undefined) all.push(this.matches[i]!);
    return all;
  }

  /** `-p tcp` also means "load the tcp match if an option needs it" (load_proto). */
  private loadProtocolMatch(): boolean {
    const name = this.protocolMatchName;
    const extension = name === undefined ? undefined : findMatch(name, this.ctx.family);
    if (!extension) return false;
    const existing = this.matches.find((m) => m.extension === extension);
    if (existing && this.protocolUsed) return false;
    if (existing) return true;
    this.matches.push({ extension, at: this.protocolWord!, options: optionsByName(extension), uses: [], groupStart: 0, words: undefined });
    return true;
  }

  private unknownOptionHint(): string {
    if (this.header.protocol === undefined && this.matches.length === 0) return " (port and flag options need -p tcp, -p udp, … or -m NAME first)";
    return "";
  }

  private applyBuiltin(resolved: ResolvedBuiltin, word: number, given: Word | undefined, negated: boolean, next: number): number {
    const spec = resolved.spec;
    if (spec.name !== "match" && (this.seenBuiltins & resolved.bit) !== 0) {
      this.fail(word, `${this.words.text(word)} may be given only once per rule`, "duplicate-option");
    }
    this.seenBuiltins |= resolved.bit;
    // Absent only for -f, which takes no word.
    const arg = given!;
    switch (spec.name) {
      case "append":
      case "insert": {
        if (this.command) this.fail(word, "a rule line takes one command (-A or -I)", "duplicate-option");
        let position: number | undefined;
        if (spec.name === "insert" && next < this.words.count && /^[0-9]+$/.test(this.words.text(next))) {
          position = Number(this.words.text(next));
          if (position < 1) this.fail(next, "rule positions start at 1", "bad-value");
          next++;
        }
        this.command = { kind: spec.name, chain: this.tokenOf(arg), position };
        return next;
      }
      case "source":
        this.sources = negatables(this.addresses(arg), negated);
        return next;
      case "destination":
        this.destinations = negatables(this.addresses(arg), negated);
        return next;
      case "in-interface":
      case "out-interface": {
        const name = this.textOf(arg);
        if (name.length >= IFNAMSIZ) this.fail(arg, `interface name "${name}" is longer than ${IFNAMSIZ - 1} characters`, "bad-interface");
        if (name.length === 0) this.fail(arg, "empty interface name", "bad-interface");
        // "+" is every name: iptables-nft makes no comparison of it (and keeps the negated one).
        if (name !== "+" || negated) this.header[spec.name === "in-interface" ? "inInterface" : "outInterface"] = { value: name, negated };
        return next;
      }
      case "protocol": {
        const number = this.protocolNumberOf(arg);
        if (number === undefined) this.fail(arg, `unknown protocol "${this.textOf(arg)}"`, "unknown-protocol");
        if (number === 0 && negated) this.fail(arg, `"! -p ${this.textOf(arg)}" matches nothing; ${this.ctx.family === "ipv6" ? "ip6tables" : "iptables"} refuses it`, "bad-value");
        this.protocolWord = word;
        if (number !== 0) {
          this.header.protocol = protocolMatch(number, negated);
          this.protocolMatchName = protocolName(number);
        }
        return next;
      }
      case "fragment":
        if (this.ctx.family === "ipv6") this.fail(word, "-f exists only for IPv4; ip6tables uses -m frag", "unknown-option");
        this.header.fragment = { value: true, negated };
        return next;
      case "match":
        return this.collectWords(this.loadMatch(arg), next);
      case "jump":
      case "goto":
        return this.collectWords(this.loadTarget(arg, spec.name, word), next);
      case "set-counters": {
        // xshared.c: "P,B", else "P" and the next word when it is not an option.
        const text = this.textOf(arg);
        const comma = text.indexOf(",");
        const second = comma === -1 && next < this.words.count ? next : undefined;
        const secondText = second === undefined ? undefined : this.words.text(second);
        if (comma === -1 && (secondText === undefined || secondText.startsWith("-"))) this.fail(word, "-c needs a packet and a byte counter (-c PACKETS,BYTES)", "bad-counters");
        const packetsText = comma === -1 ? text : text.slice(0, comma);
        const bytesText = secondText ?? text.slice(comma + 1);
        const packets = counterValue(packetsText);
        const bytes = counterValue(bytesText);
        if (packets === undefined) this.fail(arg, `-c packet counter "${packetsText}" is not a number`, "bad-counters");
        if (bytes === undefined) this.fail(second ?? arg, `-c byte counter "${bytesText}" is not a number`, "bad-counters");
        this.counters = { packets, bytes };
        return second === undefined ? next : next + 1;
      }
    }
  }

  /** `-p NAME`'s number (protocolNumber, any case); a word met before is not taken out of the line. */
  private protocolNumberOf(arg: Word): number | undefined {
    const recent = typeof arg === "number" ? RECENT_PROTOCOLS.find(this.words, arg) : undefined;
    if (recent !== undefined) return recent;
    const text = this.textOf(arg);
    const number = protocolNumber(text.toLowerCase() === text ? text : text.toLowerCase());
    if (number !== undefined) RECENT_PROTOCOLS.remember(text, number);
    return number;
  }

  /** The match `-m NAME` names (findMatch); a word met before is not taken out of the line. */
  private matchNamed(at: Word): MatchExtension | undefined {
    const recent = RECENT_MATCHES[this.ctx.family];
    const known = typeof at === "number" ? recent.find(this.words, at) : undefined;
    if (known !== undefined) return known;
    const name = this.textOf(at);
    const extension = findMatch(name, this.ctx.family);
    if (extension !== undefined) recent.remember(name, extension);
    return extension;
  }

  private loadMatch(at: Word): Loaded<MatchExtension> {
    const extension = this.matchNamed(at);
    if (!extension && isOtherFamilyMatch(this.textOf(at), this.ctx.family)) {
      this.fail(at, `-m ${this.textOf(at)} exists only for ${this.ctx.family === "ipv4" ? "ip6tables" : "iptables"}`, "wrong-family");
    }
    const merged = extension?.merges && this.matches.find((m) => m.extension === extension);
    if (merged) {
      merged.groupStart = merged.uses.length;
      return merged;
    }
    const loaded: Loaded<MatchExtension> = extension
      ? { extension, at, options: optionsByName(extension), uses: [], groupStart: 0, words: undefined }
      : { extension: unknownMatch(this.textOf(at)), at, options: NO_OPTIONS, uses: [], groupStart: 0, words: [] };
    if (!extension) {
      this.warn(at, `match extension "${this.textOf(at)}" is not modelled by nfwalk: the rule is kept as written and the match counts as unknown`, "unknown-match");
    } else if (extension.unmodelled) {
      this.warn(at, `match extension "${this.textOf(at)}" is not modelled by nfwalk: its options are checked, and the match counts as unknown`, "unknown-match");
    }
    this.matches.push(loaded);
    return loaded;
  }

  private loadTarget(at: Word, kind: "jump" | "goto", word: number): Loaded<TargetExtension> | undefined {
    if (this.action) this.fail(word, "a rule has one -j or -g", "duplicate-option");
    const name = this.textOf(at);
    const column = this.columnOf(at);
    // -j takes a target before a chain of the same name: the chain is looked up only for -g or when no target has the name.
    const extension = kind === "goto" ? undefined : findTarget(name, this.ctx.family);
    const chain = extension ? undefined : this.ctx.declaredChain(name);
    if (kind === "goto") {
      if (chain === undefined) this.fail(at, `-g needs a user-defined chain, and "${name}" is not declared in table ${this.ctx.table}`, "unknown-chain");
      this.action = { kind: "goto", chain, column };
      return undefined;
    }
    if (extension) {
      if (extension.unmodelled) this.warn(at, `target "${name}" is not modelled by nfwalk: its options are checked, and its effect counts as unknown`, "unknown-target");
      if (this.ctx.table === "nat" && name === "DROP") {
        this.fail(at, "the nat table is not for filtering: iptables refuses -j DROP there (drop in filter, or in raw/mangle)", "bad-table");
      }
      this.target = { extension, at, options: optionsByName(extension), uses: [], groupStart: 0, words: undefined };
      return this.target;
    }
    if (chain !== undefined) {
      this.action = { kind: "jump", chain, column };
      return undefined;
    }
    const removed = removedTarget(name);
    if (removed !== undefined) this.fail(at, removed, "unavailable-target");
    if (!isKnownTargetName(name)) {
      this.fail(at, `chain "${name}" is not declared in table ${this.ctx.table}, and no target has that name`, "unknown-chain");
    }
    this.warn(at, `target "${name}" is not modelled by nfwalk: the rule is kept as written and its effect counts as unknown`, "unknown-target");
    this.target = { extension: unknownTarget(name), at, options: NO_OPTIONS, uses: [], groupStart: 0, words: [] };
    return this.target;
  }

  /** An unmodelled extension takes every word up to the next built-in option. */
  private collectWords(owner: Loaded<MatchExtension | TargetExtension> | undefined, next: number): number {
    if (owner?.words === undefined) return next;
    const words = this.words;
    let i = next;
    while (i < words.count) {
      if (isBuiltinWord(words, i)) break;
      if (this.isBang(i) && i + 1 < words.count && isBuiltinWord(words, i + 1)) break;
      owner.words.push(words.token(i));
      i++;
    }
    return i;
  }

  private applyExtensionOption(resolved: Extract<Resolved, { kind: "extension" }>, word: Token, args: Token[], negated: boolean): void {
    const { owner, spec } = resolved;
    let given = -1;
    if (!spec.repeatable) for (let u = owner.uses.length - 1; u >= 0 && given < 0; u--) if (owner.uses[u]!.spec === spec) given = u;
    if (given >= owner.groupStart) {
      this.fail(word, `${word.text} may be given only once for ${owner.extension.kind === "target" ? "-j" : "-m"} ${owner.extension.name}`, "duplicate-option");
    }
    // A merged later use overrides: iptables-nft prints the last comparison of a field.
    if (given >= 0) {
      owner.uses = owner.uses.filter((u) => u.spec !== spec);
      owner.groupStart = Math.min(owner.groupStart, owner.uses.length);
    }
    owner.uses.push({ spec, invert: negated, args, at: word });
  }

  private finish(): ParsedRule {
    const command = this.command!;
    const parseContext = (at: Word): ParseContext => new ExtensionContext(this, command.chain.text, at);
    const matches =
      this.matches.length === 0
        ? NO_MATCHES
        : lasting(
            this.matches.map(
              (m): MatchUse => ({
                extension: m.extension,
                options: m.words ? { words: m.words } : m.extension.parse(m.uses, parseContext(m.at)),
                column: this.columnOf(m.at),
              }),
            ),
            this.matches.length,
          );
    if (this.target) {
      const t = this.target;
      const target: TargetUse = {
        extension: t.extension,
        options: t.words ? { words: t.words } : t.extension.parse(t.uses, parseContext(t.at)),
        column: this.columnOf(t.at),
      };
      this.action = { kind: "target", target };
    }
    const counters = this.counters && { counters: this.counters };
    const sources = this.sources ?? NO_ADDRESSES;
    const destinations = this.destinations ?? NO_ADDRESSES;
    if (sources.length === 1 && destinations.length === 1) {
      // One address each or none (the usual case): one header.
      const header = (!this.sources && !this.destinations && sharedHeader(this.header)) || keptHeader(this.header, sources[0], destinations[0]);
      return { command: command.kind, chain: command.chain, position: command.position, headers: [header], matches, action: this.action, ...counters };
    }
    const headers: HeaderMatch[] = [];
    for (const source of sources) for (const destination of destinations) headers.push(keptHeader(this.header, source, destination));
    return { command: command.kind, chain: command.chain, position: command.position, headers, matches, action: this.action, ...counters };
  }

  /** `-s a,b,c`: iptables adds one rule for each address. */
  private addresses(arg: Word): Cidr[] {
    const text = this.textOf(arg);
    if (!text.includes(",")) {
      const parsed = parseCidr(text, this.ctx.family);
      if (typeof parsed !== "string") return [parsed];
    }
    return text.split(",").map((part) => {
      const parsed = parseCidr(part, this.ctx.family);
      if (typeof parsed === "string") {
        const hint = /[a-z]/i.test(part) && !part.includes(":") ? " (host names are resolved by iptables through DNS; nfwalk needs the address)" : "";
        this.fail(arg, `${parsed}${hint}`, "bad-address");
      }
      return parsed;
    });
  }

  private textOf(w: Word): string {
    return typeof w === "number" ? this.words.text(w) : w.text;
  }

  private columnOf(w: Word): number {
    return typeof w === "number" ? this.words.column(w) : w.column;
  }

  tokenOf(w: Word): Token {
    return typeof w === "number" ? this.words.token(w) : w;
  }

  private placeholder(): Token {
    return { text: "", quoted: false, line: 0, column: 1, length: 1 };
  }

  fail(at: Word, message: string, code: string): never {
    throw new RuleError(error(code, message, this.span(at)));
  }

  warn(at: Word, message: string, code: string): void {
    this.ctx.report(warning(code, message, this.span(at)));
  }

  private span(at: Word) {
    const token = this.tokenOf(at);
    return { file: this.ctx.file, line: token.line, column: token.column, length: Math.max(1, token.length) };
  }
}

/** What an extension sees of the rule while it parses its options. */
class ExtensionContext implements ParseContext {
  private token: Token | undefined;

  constructor(
    private readonly rule: RuleParser,
    readonly chain: string,
    private readonly word: Word,
  ) {}

  /** Made when asked for: extensions point at it only to refuse a rule. */
  get at(): Token {
    this.token ??= this.rule.tokenOf(this.word);
    return this.token;
  }

  get family() {
    return this.rule.ctx.family;
  }

  get table() {
    return this.rule.ctx.table;
  }

  get protocol() {
    return this.rule.header.protocol;
  }

  fail(token: Token, message: string, code = "bad-option"): never {
    return this.rule.fail(token, message, code);
  }

  warn(token: Token, message: string, code = "option-warning"): void {
    this.rule.warn(token, message, code);
  }
}

// Parts of the model that many rules have alike are shared (the model is
// read-only): on a dump of 100k+ rules every object less per rule counts.
// Not frozen: a frozen object has a shape of its own (see emptyHeader).
const NO_HEADER: HeaderMatch = emptyHeader();
// Not frozen: V8 makes an iterator object for every for-of over a frozen array.
const NO_MATCHES: readonly MatchUse[] = [];
const PROTOCOL_MATCHES = new Map<number, Negatable<number>>();
/** By the shared protocolMatch object: see sharedHeader. */
const PROTOCOL_HEADERS = new Map<Negatable<number>, HeaderMatch>();

/** `-p NUMBER` and `! -p NUMBER`: one object for each, shared by every rule. */
function protocolMatch(value: number, negated: boolean): Negatable<number> {
  const key = negated ? -value : value;
  let match = PROTOCOL_MATCHES.get(key);
  if (!match) PROTOCOL_MATCHES.set(key, (match = Object.freeze({ value, negated })));
  return match;
}

type MutableHeader = { -readonly [K in keyof HeaderMatch]: HeaderMatch[K] };

/**
 * A header with every field, each undefined until an option sets it: all rules' headers
 * then have one shape, and the code reading them (the walk, printing) one kind of object to
 * look into, where setting only the given fields made a shape per order of the options.
 */
function emptyHeader(): MutableHeader {
  return { source: undefined, destination: undefined, inInterface: undefined, outInterface: undefined, protocol: undefined, fragment: undefined };
}

/** No -s (-d): one header without the field. */
const NO_ADDRESSES: readonly undefined[] = [undefined];

/**
 * The header a rule keeps: the one the parser filled in, with its addresses. Made here, not by
 * filling in the parser's own (as the header of every rule once was): V8 then learns that the
 * objects made here live on, and makes them in the old generation at once rather than young and
 * copied twice by the garbage collector, which it cannot do where most objects die young.
 */
function keptHeader(header: HeaderMatch, source: Negatable<Cidr> | undefined, destination: Negatable<Cidr> | undefined): HeaderMatch {
  // The fields in emptyHeader's order: one hidden class for every header.
  return { source, destination, inInterface: header.inInterface, outInterface: header.outInterface, protocol: header.protocol, fragment: header.fragment };
}

/**
 * The shared header of a rule without -s and -d when it has no field, or -p alone (a kube-proxy
 * DNAT rule's `-p tcp`): the first such header of each protocol is every later one's.
 */
function sharedHeader(header: HeaderMatch): HeaderMatch | undefined {
  if (header.inInterface !== undefined || header.outInterface !== undefined || header.fragment !== undefined) return undefined;
  const protocol = header.protocol;
  if (protocol === undefined) return NO_HEADER;
  let shared = PROTOCOL_HEADERS.get(protocol);
  if (!shared) PROTOCOL_HEADERS.set(protocol, (shared = keptHeader(header, undefined, undefined)));
  return shared;
}

function negatables<T>(values: readonly T[], negated: boolean): Negatable<T>[] {
  return values.map((value) => ({ value, negated }));
}

const MAX_COUNTER = 2n ** 64n - 1n;

/** sscanf("%llu"): leading blanks, an optional "+", digits; what follows is ignored. */
function counterValue(text: string): bigint | undefined {
  const digits = /^\s*\+?([0-9]+)/.exec(text)?.[1];
  if (digits === undefined) return undefined;
  const value = BigInt(digits);
  return value > MAX_COUNTER ? MAX_COUNTER : value;
}

function isBuiltinWord(words: RuleWords, i: number): boolean {
  const text = words.text(i);
  if (words.quoted(i) || !text.startsWith("-")) return false;
  if (text.startsWith("--")) return BUILTIN_BY_LONG.has(text.split("=")[0]!);
  return text.length === 2 && BUILTIN_BY_LETTER[text.charCodeAt(1)] !== undefined;
}
