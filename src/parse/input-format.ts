/**
 * What kind of text a user gave as rules. Users paste what their terminal shows: an
 * iptables-save dump, `iptables -S` output (read as rules too), or `iptables -L` and
 * `nft list ruleset` listings, which nfwalk cannot read: those are refused at once, in one
 * line that says which command to run instead, rather than with an error per line.
 */
import { error, type Diagnostic } from "../diag/index.js";
import type { DumpText } from "./parse-dump.js";
import { splitWords, type Token } from "./syntax.js";

export type InputFormat =
  | { readonly kind: "save" }
  /** `iptables -S` output; `ipv6` when the command line pasted before it was ip6tables'. */
  | { readonly kind: "list-rules"; readonly ipv6: boolean | undefined }
  | { readonly kind: "other-output"; readonly diagnostic: Diagnostic };

/**
 * Decides from the first lines that are neither blank, comments nor a pasted command line
 * (`root@host:~# iptables -t nat -S`): reading stops there, however large the text.
 */
export function detectInputFormat(text: DumpText, file: string): InputFormat {
  const pieces = typeof text === "string" ? [text] : text;
  let command: PastedCommand | undefined;
  let lineNumber = 0;
  for (const piece of pieces) {
    let start = 0;
    while (start < piece.length) {
      const end = nextBreak(piece, start);
      const line = piece.slice(start, end).replace(/\r$/, "");
      start = end + 1;
      lineNumber++;
      const content = line.trimStart();
      if (content === "") continue;
      const column = line.length - content.length + 1;
      if (content.startsWith("#")) {
        command = commentCommand(content.slice(1), lineNumber, column + 1) ?? command;
        continue;
      }
      const pasted = SAVE_LINE.test(content) ? undefined : pastedCommand(wordsOf(content, lineNumber, 1));
      if (pasted) {
        command = pasted;
        continue;
      }
      return classify(content, { file, line: lineNumber, column, length: content.split(/\s/, 1)[0]!.length }, command, pieces[0]!);
    }
  }
  return { kind: "save" };
}

/** Lines only a dump has: `*table`, `:chain`, COMMIT, `[counters]` (not a prompt such as `[root@host ~]#`), and the `-` of every rule. */
const SAVE_LINE = /^(?:[*:-]|\[\d+:\d+\]|COMMIT\b)/;
const LIST_RULES_LINE = /^-[PNAI]\s/;
const IPTABLES_LIST_LINE = /^Chain \S+ \((?:policy \S+|\d+ references)/;
const NFT_LINE = /^(?:table (ip|ip6|inet|arp|bridge|netdev) \S+|flush ruleset\b)/;
/** An IPv6 address with its prefix length, as `ip6tables -L -n` prints source and destination. */
const IPV6_PREFIX = /(?:^|\s)!?(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\/\d{1,3}(?:\s|$)/m;

function classify(content: string, span: Diagnostic["span"] & object, command: PastedCommand | undefined, firstPiece: string): InputFormat {
  if (LIST_RULES_LINE.test(content)) return { kind: "list-rules", ipv6: command && command.program !== "nft" ? command.program === "ip6tables" : undefined };
  if (IPTABLES_LIST_LINE.test(content)) {
    const ipv6 = command?.program === "ip6tables" || IPV6_PREFIX.test(firstPiece);
    const program = ipv6 ? "ip6tables" : "iptables";
    return otherOutput(`this is \`${program} -L\` output, which leaves out parts of the rules: run \`${program}-save\` and give nfwalk what it prints`, "iptables-list", span);
  }
  const nft = NFT_LINE.exec(content);
  if (nft) {
    const save = nft[1] === "ip" ? "`iptables-save`" : nft[1] === "ip6" ? "`ip6tables-save`" : "`iptables-save` (and `ip6tables-save`)";
    return otherOutput(
      `this is \`nft list ruleset\` output, which nfwalk does not read: run ${save} and give nfwalk what it prints (rules made with nft itself cannot be simulated)`,
      "nft-ruleset",
      span,
    );
  }
  return { kind: "save" };
}

function otherOutput(message: string, code: string, span: Diagnostic["span"]): InputFormat {
  return { kind: "other-output", diagnostic: error(code, message, span) };
}

function nextBreak(text: string, from: number): number {
  const at = text.indexOf("\n", from);
  return at === -1 ? text.length : at;
}

function wordsOf(text: string, line: number, column: number): readonly Token[] {
  const split = splitWords(text, line, column);
  return "unterminated" in split ? [] : split.tokens();
}

/** A command line pasted with its output, as users copy it from their terminal. */
export interface PastedCommand {
  readonly program: "iptables" | "ip6tables" | "nft";
  /** It lists rules as `iptables -S` does (`-S`, `-vS`, `--list-rules`). */
  readonly listsRules: boolean;
  /** The word naming the table (`-t nat`, `--table=nat`), with where it stands. */
  readonly table: Token | undefined;
}

/**
 * The command in a line such as `root@host:~# sudo iptables -t nat -S`: the words before the
 * program are a shell prompt; undefined when no word is iptables, ip6tables (their -legacy
 * and -nft variants, with or without a path) or nft.
 */
export function pastedCommand(words: readonly Token[]): PastedCommand | undefined {
  const at = words.findIndex((w) => PROGRAM.test(w.text));
  if (at === -1) return undefined;
  const program = PROGRAM.exec(words[at]!.text)![1] as PastedCommand["program"];
  let listsRules = false;
  let table: Token | undefined;
  for (let i = at + 1; i < words.length; i++) {
    const word = words[i]!;
    const text = word.text;
    if (text === "--list-rules" || /^-[a-zA-Z]*S[a-zA-Z]*$/.test(text)) listsRules = true;
    if (text === "-t" || text === "--table") table = words[++i];
    else if (text.startsWith("--table=")) table = tokenAfter(word, "--table=".length);
    else if (/^-t[a-z]+$/.test(text)) table = tokenAfter(word, 2);
  }
  return { program, listsRules, table };
}

const PROGRAM = /^(?:\S*\/)?(ip6?tables|nft)(?:-legacy|-nft)?$/;

/** The command in a comment (`# iptables -t nat -S`): its text after the `#`, which starts at `column`. */
export function commentCommand(text: string, line: number, column: number): PastedCommand | undefined {
  return pastedCommand(wordsOf(text, line, column));
}

function tokenAfter(word: Token, skip: number): Token {
  return { ...word, text: word.text.slice(skip), column: word.column + skip, length: word.length - skip };
}
