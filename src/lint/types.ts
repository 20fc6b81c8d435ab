/**
 * lint's findings as plain data: what `nfwalk lint --json` prints. Every
 * finding has a stable code from the table below; scripts and `--ignore` key
 * on it.
 */
import type { TableName } from "../model/types.js";

/** How serious a finding is: errors and warnings make `nfwalk lint` exit 1, info does not. */
export type LintSeverity = "error" | "warning" | "info";

/** The codes, their severity and what they say: NF1xx the rules' structure, NF2xx Docker's traps. */
export const LINT_CODES = {
  NF101: { severity: "warning", title: "shadowed rule: earlier rules take every packet it matches" },
  NF102: { severity: "warning", title: "rule after a catch-all rule that ends every packet's walk" },
  NF103: { severity: "info", title: "redundant rule: without it every packet it matches gets the same verdict" },
  NF104: { severity: "info", title: "user chain nothing jumps or goes to" },
  NF105: { severity: "info", title: "jump or goto to an empty chain" },
  NF201: { severity: "error", title: "published port bypasses the host firewall's INPUT rules" },
  NF202: { severity: "warning", title: "DOCKER-USER rule without a connection-state match drops replies" },
  NF203: { severity: "error", title: "Docker publishes ports but wrote no rules (--iptables=false)" },
} as const satisfies Record<string, { severity: LintSeverity; title: string }>;

/** A finding's stable code (NF101 …): `--ignore` and `nfwalk-ignore:` comments name it. */
export type LintCode = keyof typeof LINT_CODES;

/** Whether the text is one of the codes of {@link LINT_CODES}. */
export function isLintCode(text: string): text is LintCode {
  return Object.hasOwn(LINT_CODES, text);
}

/** A place in a file: 1-based line, and column when it says more than the line. */
export interface LintLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** A rule a finding is about or points to. */
export interface LintRuleRef {
  readonly location: LintLocation;
  readonly table: TableName;
  readonly chain: string;
  /** 1-based position in its chain. */
  readonly rule: number;
  /** The rule as iptables-save prints it. */
  readonly text: string;
}

/** One finding: its code and severity, where it is, a line for people, and the rules it is about. */
export interface LintFinding {
  readonly code: LintCode;
  readonly severity: LintSeverity;
  /** Where to look: the rule's line, or a chain's declaration. */
  readonly location: LintLocation;
  /** One line for people. */
  readonly message: string;
  /** The rule the finding is about, when it is about one. */
  readonly rule?: LintRuleRef;
  /** The rules that explain it (the shadowing rules, the catch-all, the empty chain's jump, …). */
  readonly related: readonly LintRuleRef[];
}

/** What {@link lint} found: what `nfwalk lint --json` prints. */
export interface LintReport {
  /** Findings in file order (then by code). */
  readonly findings: readonly LintFinding[];
  /** Findings left out by `ignore` or by a rule's `nfwalk-ignore:` comment. */
  readonly silenced: number;
}
