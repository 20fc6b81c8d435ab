/** A text the user gave us, with a line index for showing diagnostics. */
export class SourceText {
  private lineStarts: number[] | undefined;
  /** The text as it was read, whole or in consecutive pieces (a large file), until it is asked for whole. */
  private given: string | readonly string[];

  constructor(
    readonly name: string,
    text: string | readonly string[],
  ) {
    this.given = text;
  }

  /** The whole text: pieces are joined when first asked for, and dropped then, so that a large dump is not held twice. */
  get text(): string {
    if (typeof this.given !== "string") this.given = this.given.join("");
    return this.given;
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
