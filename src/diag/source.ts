/** A text the user gave us, with a line index for showing diagnostics. */
export class SourceText {
  private lineStarts: number[] | undefined;
  private joined: string | undefined;
  /** The text as it was read: whole, or in consecutive pieces (a large file). */
  readonly pieces: readonly string[];

  constructor(
    readonly name: string,
    text: string | readonly string[],
  ) {
    this.pieces = typeof text === "string" ? [text] : text;
  }

  /** The whole text (pieces are joined only when something asks for it). */
  get text(): string {
    this.joined ??= this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join("");
    return this.joined;
  }

  /** The text of 1-based line `line`, without its line end. */
  lineText(line: number): string | undefined {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return undefined;
    const next = starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === "\r") end -= 1;
    return this.text.slice(start, end);
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      let at = this.text.indexOf("\n");
      while (at !== -1) {
        starts.push(at + 1);
        at = this.text.indexOf("\n", at + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}
