/**
 * Every real dump in the shared corpus must load: warnings are fine, errors
 * are not. The corpus lives beside the project and is never copied into it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseRuleset, formatRuleset, renderDiagnostic, SourceText } from "../src/index.js";

const shared = resolve(import.meta.dirname, "../../shared");
const folders = [join(shared, "corpus/real"), join(shared, "corpus/docker/iptables")];
const available = existsSync(shared);
if (!available) console.log(`corpus tests skipped: ${shared} does not exist`);

const dumps = available
  ? folders.flatMap((folder) =>
      readdirSync(folder)
        .filter((name) => /\.(rules6?|golden)$/.test(name))
        .map((name) => ({ name, path: join(folder, name) })),
    )
  : [];

describe.skipIf(!available)("corpus dumps load", () => {
  test("the corpus is all there", () => {
    expect(dumps.length).toBe(51 + 284);
  });

  test.each(dumps)("$name", ({ name, path }) => {
    const text = readFileSync(path, "utf8");
    const result = parseRuleset(text, { file: name });
    const source = new SourceText(name, text);
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => renderDiagnostic(d, source));
    expect(errors).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Canonical output is a fixed point: loading it again prints the same.
    const canonical = formatRuleset(result.ruleset);
    const again = parseRuleset(canonical, { file: name, family: result.ruleset.family });
    expect(again.ok && formatRuleset(again.ruleset)).toBe(canonical);
  });
});
