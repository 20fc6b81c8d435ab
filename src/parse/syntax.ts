/**
 * Syntax nodes of an iptables-save dump, as the grammar produces them.
 * They say what a line looks like, not what it means.
 */

/** One word of a line, after iptables-restore's quoting rules were applied. */
export interface Token {
  readonly text: string;
  /** The word was (partly) written in double quotes. */
  readonly quoted: boolean;
  readonly line: number;
  readonly column: number;
  /** Characters the word takes in the source, quotes included. */
  readonly length: number;
}

export interface CountersNode {
  readonly packets: bigint;
  readonly bytes: bigint;
  readonly line: number;
  readonly column: number;
}

export interface Location {
  readonly line: number;
  readonly column: number;
}

export type LineContent =
  | { readonly kind: "comment"; readonly text: string }
  | { readonly kind: "table"; readonly name: Token | null; readonly args: readonly Token[]; readonly loc: Location }
  | { readonly kind: "chain"; readonly name: Token | null; readonly args: readonly Token[]; readonly loc: Location }
  | { readonly kind: "commit"; readonly loc: Location }
  | { readonly kind: "rule"; readonly counters: CountersNode | null; readonly args: readonly Token[] };

export interface LineNode {
  readonly line: number;
  readonly content: LineContent | null;
  /** Blanks before the content; iptables-restore itself wants none. */
  readonly leadingBlanks: number;
  readonly trailingBlanks: number;
  readonly crlf: boolean;
}

/** peggy's location(): offsets and 1-based line/column of a match. */
interface PeggyLocation {
  readonly start: { readonly offset: number; readonly line: number; readonly column: number };
  readonly end: { readonly offset: number };
}

/** The node builders the grammar's actions call (handed over as a parser option). */
export const syntaxHelpers = {
  token(text: string, quoted: boolean, loc: PeggyLocation): Token {
    return { text, quoted, line: loc.start.line, column: loc.start.column, length: loc.end.offset - loc.start.offset };
  },
  counters(packets: string, bytes: string, loc: PeggyLocation): CountersNode {
    return { packets: BigInt(packets), bytes: BigInt(bytes), line: loc.start.line, column: loc.start.column };
  },
  lineNode(content: LineContent | null, loc: PeggyLocation, leadingBlanks: number, trailingBlanks: number, crlf: boolean): LineNode {
    return { line: loc.start.line, content, leadingBlanks, trailingBlanks, crlf };
  },
};
