/**
 * The rules editor: CodeMirror 6 with an iptables-save highlighter, the loader's diagnostics
 * shown at their line and column, and the line of the rule the current step stands on marked.
 */
import { basicSetup, EditorView } from "codemirror";
import { StateEffect, StateField, type Extension, type Text } from "@codemirror/state";
import { Decoration, type DecorationSet } from "@codemirror/view";
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic as LintDiagnostic } from "@codemirror/lint";
import { tags } from "@lezer/highlight";
import type { Diagnostic } from "../../src/index.ts";

/** iptables-save's lines: comments, `*table`, `:CHAIN POLICY [p:b]`, `COMMIT`, and rules' options, values and targets. */
const iptablesSave = StreamLanguage.define<{ afterJump: boolean }>({
  name: "iptables-save",
  startState: () => ({ afterJump: false }),
  token(stream, state) {
    if (stream.sol()) state.afterJump = false;
    if (stream.eatSpace()) return null;
    if (stream.sol() && stream.match(/^#.*/)) return "comment";
    if (stream.sol() && stream.match(/^\*\S+/)) return "heading";
    if (stream.sol() && stream.match(/^COMMIT\b/)) return "keyword";
    if (stream.sol() && stream.match(/^:\S+/)) return "def";
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^!(?=\s)/)) return "operator";
    if (stream.match(/^(-j|-g|--jump|--goto)(?=\s)/)) {
      state.afterJump = true;
      return "keyword";
    }
    if (stream.match(/^--?[A-Za-z][\w-]*/)) return "attribute";
    stream.match(/^\S+/);
    const target = state.afterJump;
    state.afterJump = false;
    return target ? "type" : null;
  },
});

const highlight = HighlightStyle.define([
  { tag: tags.comment, color: "#6b7280", fontStyle: "italic" },
  { tag: tags.heading, color: "#7c2d12", fontWeight: "600" },
  { tag: tags.keyword, color: "#1d4ed8" },
  { tag: tags.definition(tags.variableName), color: "#065f46" },
  { tag: tags.attributeName, color: "#6d28d9" },
  { tag: tags.string, color: "#92400e" },
  { tag: tags.operator, color: "#b91c1c" },
  { tag: tags.typeName, color: "#0f766e", fontWeight: "600" },
]);

const markLine = StateEffect.define<number | undefined>();
const currentLine = Decoration.line({ class: "cm-current-step" });

/** The line of the rule the current step stands on (1-based), marked in the editor. */
const stepLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (!effect.is(markLine)) continue;
      const line = effect.value;
      if (line === undefined || line > tr.state.doc.lines) return Decoration.none;
      return Decoration.set([currentLine.range(tr.state.doc.line(line).from)]);
    }
    return marks.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

export interface RulesEditor {
  text(): string;
  setText(text: string): void;
  /** The text of a 1-based line, for showing a step's rule. */
  line(n: number): string | undefined;
  showDiagnostics(diagnostics: readonly Diagnostic[]): void;
  /** Marks the rule line of the current step; `reveal` scrolls to it too. */
  markStep(line: number | undefined, reveal: boolean): void;
  /** Puts the cursor on a line, scrolled into view, and focuses the editor. */
  goTo(line: number): void;
}

export function rulesEditor(parent: HTMLElement, text: string, onChange: () => void): RulesEditor {
  const extensions: Extension[] = [
    basicSetup,
    lintGutter(),
    iptablesSave,
    syntaxHighlighting(highlight),
    stepLine,
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ "aria-label": "iptables-save rules" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange();
    }),
  ];
  const view = new EditorView({ parent, doc: text, extensions });
  return {
    text: () => view.state.doc.toString(),
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    line(n) {
      const doc = view.state.doc;
      return n >= 1 && n <= doc.lines ? doc.line(n).text : undefined;
    },
    showDiagnostics(diagnostics) {
      view.dispatch(
        setDiagnostics(
          view.state,
          diagnostics.map((d) => lintDiagnostic(view.state.doc, d)),
        ),
      );
    },
    markStep(line, reveal) {
      const effects: StateEffect<unknown>[] = [markLine.of(line)];
      if (reveal && line !== undefined && line <= view.state.doc.lines) effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: "center" }));
      view.dispatch({ effects });
    },
    goTo(line) {
      if (line < 1 || line > view.state.doc.lines) return;
      const at = view.state.doc.line(line);
      view.dispatch({ selection: { anchor: at.from, head: at.to }, effects: EditorView.scrollIntoView(at.from, { y: "center" }) });
      view.focus();
    },
  };
}

/** A loader diagnostic as CodeMirror's: its span's line and column turned into offsets (a diagnostic without a span marks the first line). */
function lintDiagnostic(doc: Text, d: Diagnostic): LintDiagnostic {
  const span = d.span;
  const line = doc.line(Math.min(Math.max(span?.line ?? 1, 1), doc.lines));
  const from = Math.min(line.from + Math.max((span?.column ?? 1) - 1, 0), line.to);
  const to = Math.min(from + Math.max(span?.length ?? 1, 1), line.to);
  const notes = d.notes?.length ? `\n${d.notes.join("\n")}` : "";
  return { from, to: Math.max(to, from), severity: d.severity, message: `${d.message}${notes}`, source: d.code };
}
