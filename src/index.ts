/**
 * nfwalk's library API. The command-line tool is a thin shell over this.
 */
export type { Diagnostic, Severity, SourceSpan } from "./diag/index.js";
export { renderDiagnostic, SourceText } from "./diag/index.js";
export * from "./model/types.js";
export * from "./ruleset/types.js";
export type { MatchExtension, TargetExtension, OptionSpec, OptionUse } from "./ext/types.js";
export { parseRuleset, type LoadOptions, type LoadResult } from "./ruleset/load.js";
export type { DumpText } from "./parse/parse-dump.js";
export { formatRuleset, type FormatOptions } from "./ruleset/save.js";
