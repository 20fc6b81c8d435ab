/**
 * Checking the shape of a JSON document other programs print (`ip -json`, `docker inspect`):
 * every problem becomes a diagnostic at the value or member it concerns.
 */
import { error, type Diagnostic } from "../diag/diagnostic.js";
import { lineColumn, parseJson, type Json, type JsonResult } from "./json.js";

export type JsonObject = { readonly [key: string]: Json };
type Offsets = Extract<JsonResult, { ok: true }>["offsets"];

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects shape problems, each placed at its node (or the node's member) in the file. */
export class JsonShape {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly offsets: Offsets,
    /** Diagnostic codes are `${codePrefix}-shape`. */
    private readonly codePrefix: string,
  ) {}

  report(message: string, node: object | undefined, member?: string): void {
    const where = node === undefined ? undefined : this.offsets.get(node);
    const offset = (member === undefined ? undefined : where?.members.get(member)) ?? where?.at ?? 0;
    const { line, column } = lineColumn(this.text, offset);
    this.diagnostics.push(error(`${this.codePrefix}-shape`, message, { file: this.file, line, column, length: 1 }));
  }
}

/**
 * Parses the text into the top-level array `what` prints, or says why not
 * (`${codePrefix}-syntax` for bad JSON, `${codePrefix}-shape` for anything but an array).
 */
export function readJsonArray(text: string, file: string, what: string, codePrefix: string): { shape: JsonShape; entries: readonly Json[] } | Diagnostic {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { line, column } = lineColumn(text, parsed.offset);
    return error(`${codePrefix}-syntax`, `not valid JSON: ${parsed.message}`, { file, line, column, length: 1 });
  }
  if (!Array.isArray(parsed.value)) {
    const { line, column } = lineColumn(text, Math.max(0, text.search(/\S/)));
    return error(`${codePrefix}-shape`, `expected the JSON array that \`${what}\` prints`, { file, line, column, length: 1 });
  }
  return { shape: new JsonShape(file, text, parsed.offsets, codePrefix), entries: parsed.value };
}
