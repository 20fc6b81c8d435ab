/**
 * Readers of nfwalk's report formats that are not ours: TAP through tap-parser (node-tap's
 * parser), GitHub's workflow commands as the runner reads them (actions/runner,
 * ActionCommand.TryParseV2: `::NAME PROPERTIES::MESSAGE`, properties split at `,` and at their
 * first `=`, then unescaped: %0D, %0A (and %3A, %2C in properties), %25 last).
 */
import { Parser, type Result } from "tap-parser";
import { expect } from "vitest";

export interface ParsedTap {
  readonly ok: boolean;
  readonly points: Result[];
  /** Each subtest's points, in order. */
  readonly subtests: Result[][];
}

export function parseTap(tap: string): ParsedTap {
  const parser = new Parser({ strict: true });
  const points: Result[] = [];
  const subtests: Result[][] = [];
  const errors: unknown[] = [];
  parser.on("assert", (r: Result) => points.push(r));
  parser.on("child", (child: Parser) => {
    const sub: Result[] = [];
    subtests.push(sub);
    child.on("assert", (r: Result) => sub.push(r));
  });
  parser.on("extra", (line: string) => errors.push(`not TAP: ${JSON.stringify(line)}`));
  let ok = false;
  parser.on("complete", (final: { ok: boolean; failures: { tapError?: string }[] }) => {
    ok = final.ok;
    errors.push(...final.failures.filter((f) => f.tapError).map((f) => f.tapError));
  });
  parser.end(tap);
  expect(errors).toEqual([]);
  return { ok, points, subtests };
}

export interface Command {
  readonly name: string;
  readonly properties: Record<string, string>;
  readonly message: string;
}

const runnerUnescape = (s: string, property: boolean): string => {
  let out = s.replace(/%0D/g, "\r").replace(/%0A/g, "\n");
  if (property) out = out.replace(/%3A/g, ":").replace(/%2C/g, ",");
  return out.replace(/%25/g, "%");
};

/** A line as the runner parses it, or undefined for a plain log line. */
export function readCommand(line: string): Command | undefined {
  if (!line.startsWith("::")) return undefined;
  const end = line.indexOf("::", 2);
  if (end < 0) return undefined;
  const head = line.slice(2, end);
  const space = head.indexOf(" ");
  const name = space < 0 ? head : head.slice(0, space);
  const properties: Record<string, string> = {};
  if (space >= 0)
    for (const pair of head.slice(space + 1).split(",")) {
      const eq = pair.indexOf("=");
      if (eq > 0) properties[pair.slice(0, eq)] = runnerUnescape(pair.slice(eq + 1), true);
    }
  return { name, properties, message: runnerUnescape(line.slice(end + 2), false) };
}
