/**
 * Compact differences between two iptables-save texts split by `saveSections`: enough to
 * see what differs at a glance in a CI log, not a full diff of a 6000-rule dump.
 */
import type { SaveSection } from "./netns.js";

/** How many differing lines of each side a report shows per table and kind. */
const SHOWN_LINES = 3;

export interface Sides {
  readonly actual: string;
  readonly expected: string;
}

/** One paragraph per difference (table order, missing tables, chain and rule lines); empty when equal. */
export function diffSections(actual: ReadonlyMap<string, SaveSection>, expected: ReadonlyMap<string, SaveSection>, labels: Sides = { actual: "nfwalk", expected: "kernel" }): string[] {
  const report: string[] = [];
  const actualTables = [...actual.keys()];
  const expectedTables = [...expected.keys()];
  if (actualTables.join(" ") !== expectedTables.join(" ")) {
    report.push(`table order:\n  ${labels.actual}: ${actualTables.join(" ")}\n  ${labels.expected}: ${expectedTables.join(" ")}`);
  }
  for (const table of new Set([...expectedTables, ...actualTables])) {
    const a = actual.get(table);
    const e = expected.get(table);
    if (a === undefined || e === undefined) {
      report.push(`*${table}: only in ${a === undefined ? labels.expected : labels.actual}`);
      continue;
    }
    for (const kind of ["chains", "rules"] as const) {
      const hunk = diffLines(a[kind], e[kind], labels);
      if (hunk !== undefined) report.push(`*${table} ${kind}, ${hunk}`);
    }
  }
  return report;
}

/**
 * Trims the common head and tail and shows the start of what is left on each side, so a
 * single inserted, missing or changed line shows as just that line.
 */
function diffLines(actual: readonly string[], expected: readonly string[], labels: Sides): string | undefined {
  let head = 0;
  while (head < actual.length && head < expected.length && actual[head] === expected[head]) head++;
  if (head === actual.length && head === expected.length) return undefined;
  let tail = 0;
  while (tail < actual.length - head && tail < expected.length - head && actual[actual.length - 1 - tail] === expected[expected.length - 1 - tail]) {
    tail++;
  }
  const actualRest = actual.slice(head, actual.length - tail);
  const expectedRest = expected.slice(head, expected.length - tail);
  return [`from line ${head + 1} (${labels.actual} ${actual.length} lines, ${labels.expected} ${expected.length}):`, ...shown(labels.actual, actualRest), ...shown(labels.expected, expectedRest)].join(
    "\n",
  );
}

function shown(label: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [`  ${label}: (nothing)`];
  const out = lines.slice(0, SHOWN_LINES).map((line) => `  ${label}: ${line}`);
  if (lines.length > SHOWN_LINES) out.push(`  ${label}: … ${lines.length - SHOWN_LINES} more differing`);
  return out;
}
