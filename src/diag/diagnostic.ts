/** Where something stands in a source file; line and column are 1-based. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** How many characters the caret underlines (at least 1). */
  readonly length: number;
}

/** An error refuses the input (nothing is loaded); a warning accepts it and says what the user should know. */
export type Severity = "error" | "warning";

/** A problem found in the input, carried as a value rather than thrown. */
export interface Diagnostic {
  /** Stable identifier, e.g. `unknown-chain`; scripts and tests key on it. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: SourceSpan;
  readonly notes?: readonly string[];
}

/** A diagnostic that refuses the input. */
export function error(code: string, message: string, span?: SourceSpan, notes?: readonly string[]): Diagnostic {
  return { code, severity: "error", message, ...(span && { span }), ...(notes && { notes }) };
}

/** A diagnostic that accepts the input and tells the user something. */
export function warning(code: string, message: string, span?: SourceSpan, notes?: readonly string[]): Diagnostic {
  return { code, severity: "warning", message, ...(span && { span }), ...(notes && { notes }) };
}

/** Collects diagnostics while a layer works; errors and warnings stay in order. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private errorTotal = 0;

  add(d: Diagnostic): void {
    this.items.push(d);
    if (d.severity === "error") this.errorTotal++;
  }

  /** How many of the items are errors (asked for every line of a dump: counted, not searched). */
  get errorCount(): number {
    return this.errorTotal;
  }

  get hasErrors(): boolean {
    return this.errorTotal > 0;
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }

  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "warning");
  }
}
