/**
 * Properties of loading and printing, over random canonical rulesets and
 * random corruptions of the real dumps.
 */
import { inPieces } from "./helpers/memory-io.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatRuleset, parseRuleset } from "../src/index.js";
import { corrupt, corruption } from "./arbitraries/corruption.js";
import { rulesetText } from "./arbitraries/ruleset.js";

describe("random canonical rulesets", () => {
  test("load, and print back exactly as written (parse → fmt is the identity on canonical text)", () => {
    fc.assert(
      fc.property(rulesetText, (text) => {
        const r = parseRuleset(text, { file: "random", family: "ipv4" });
        if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.message}`).join("\n") + "\n" + text);
        expect(formatRuleset(r.ruleset)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  test("fmt is idempotent", () => {
    fc.assert(
      fc.property(rulesetText, (text) => {
        const once = parseRuleset(text, { file: "random", family: "ipv4" });
        if (!once.ok) return;
        const printed = formatRuleset(once.ruleset);
        const twice = parseRuleset(printed, { file: "random", family: "ipv4" });
        expect(twice.ok && formatRuleset(twice.ruleset)).toBe(printed);
      }),
      { numRuns: 200 },
    );
  });
});

const shared = resolve(import.meta.dirname, "../../shared/corpus/real");
const corpus = existsSync(shared) ? readdirSync(shared).filter((f) => /\.rules6?$/.test(f)) : [];
if (corpus.length === 0) console.log(`corruption property skipped: ${shared} does not exist`);

describe.skipIf(corpus.length === 0)("corrupted real dumps", () => {
  test("always give a model or positioned errors inside the text — never an exception", () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(corruption, { minLength: 1, maxLength: 4 }), (name, edits) => {
        const text = corrupt(readFileSync(join(shared, name), "utf8"), edits);
        const result = parseRuleset(text, { file: name });
        const lines = text.split("\n").length;
        for (const d of result.diagnostics) {
          if (d.severity !== "error") continue;
          expect(d.span, d.message).toBeDefined();
          expect(d.span!.line).toBeGreaterThanOrEqual(1);
          expect(d.span!.line).toBeLessThanOrEqual(lines + 1);
          expect(d.span!.column).toBeGreaterThanOrEqual(1);
        }
        expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === "error"));
      }),
      { numRuns: 300 },
    );
  });

  test("read in pieces, they give what they give read whole: the same model, the same diagnostics at the same lines", () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(corruption, { maxLength: 3 }), fc.integer({ min: 1, max: 40 }), (name, edits, linesPerPiece) => {
        const text = corrupt(readFileSync(join(shared, name), "utf8"), edits);
        const whole = parseRuleset(text, { file: name });
        const pieces = parseRuleset(inPieces(text, linesPerPiece), { file: name });
        expect(pieces.diagnostics).toEqual(whole.diagnostics);
        expect(pieces.ok && formatRuleset(pieces.ruleset)).toBe(whole.ok && formatRuleset(whole.ruleset));
      }),
      { numRuns: 200 },
    );
  });
});
