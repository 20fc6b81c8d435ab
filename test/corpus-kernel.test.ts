/**
 * The kernel as the reference for `nfwalk fmt`: every corpus dump is loaded into a fresh
 * namespace with iptables-restore and saved back; what iptables-save prints there is what
 * formatRuleset must print (per table and chain, counters and `#` lines aside). A dump the
 * kernel refuses has nothing to compare; the refusals are listed at the end.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, test } from "vitest";
import { formatRuleset, parseRuleset, renderDiagnostic } from "../src/index.js";
import type { Diagnostic } from "../src/index.js";
import { diffSections } from "./kernel/compare.js";
import { createLimiter } from "./kernel/limit.js";
import { kernelAvailable, saveSections, withNamespace } from "./kernel/netns.js";
import type { Family } from "./kernel/netns.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sharedDir = path.resolve(repoRoot, "../shared");

interface CorpusFile {
  /** `real/…` or `docker/…`: the test's name. */
  readonly name: string;
  readonly path: string;
  readonly family: Family;
}

type KernelAnswer = { readonly accepted: true; readonly saved: string } | { readonly accepted: false; readonly message: string };

/** Which files of a corpus folder are dumps, and of which family. */
const CORPORA: readonly { readonly label: string; readonly dir: string; readonly suffixes: Readonly<Record<string, Family>> }[] = [
  { label: "real", dir: "corpus/real", suffixes: { ".rules": "ipv4", ".rules6": "ipv6" } },
  { label: "docker", dir: "corpus/docker/iptables", suffixes: { "__iptables.golden": "ipv4", "__ip6tables.golden": "ipv6" } },
];

function corpusFiles(): CorpusFile[] {
  return CORPORA.flatMap(({ label, dir, suffixes }) => {
    const folder = path.join(sharedDir, dir);
    return readdirSync(folder)
      .sort()
      .flatMap((file) => {
        const family = Object.entries(suffixes).find(([suffix]) => file.endsWith(suffix))?.[1];
        if (family === undefined) return [];
        return [{ name: `${label}/${file}`, path: path.join(folder, file), family }];
      });
  });
}

function skipReason(): string | undefined {
  if (!existsSync(sharedDir)) return `${sharedDir} is missing`;
  const kernel = kernelAvailable();
  return kernel.ok ? undefined : kernel.reason;
}

const skipped = skipReason();
if (skipped !== undefined) console.log(`corpus-kernel: skipped: ${skipped}`);
const files = skipped === undefined ? corpusFiles() : [];

// At most four namespaces at a time (CI has two cores).
const limit = createLimiter(4);

/** The kernel's answer lives in memory for this run only: the oracle is asked afresh every time. */
function askKernel(file: CorpusFile, dump: string): Promise<KernelAnswer> {
  return limit(() =>
    withNamespace(async (ns): Promise<KernelAnswer> => {
      const restored = await ns.restore(dump, file.family);
      return restored.ok ? { accepted: true, saved: await ns.save(file.family) } : { accepted: false, message: restored.message };
    }),
  );
}

/** What nfwalk prints for a dump, or its error diagnostics when it refuses it. */
function nfwalkFormat(file: CorpusFile, dump: string): { ok: true; text: string; warnings: number } | { ok: false; errors: string } {
  const loaded = parseRuleset(dump, { file: file.name, family: file.family });
  if (!loaded.ok) return { ok: false, errors: render(loaded.diagnostics.filter((d) => d.severity === "error")) };
  return { ok: true, text: formatRuleset(loaded.ruleset), warnings: loaded.diagnostics.filter((d) => d.severity === "warning").length };
}

function render(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => renderDiagnostic(d)).join("\n");
}

/** iptables quotes the offending input verbatim; a stray `\r` would garble the summary. */
function oneLine(message: string): string {
  return message.replace(/\n/g, " | ").replace(/\r/g, "\\r");
}

/** Refusals, with nfwalk's own verdict on the same file beside iptables' message. */
const refusals: string[] = [];

describe.skipIf(skipped !== undefined)("corpus: nfwalk fmt prints what iptables-save prints after iptables-restore", () => {
  afterAll(() => {
    if (refusals.length > 0) console.log(`corpus-kernel: ${refusals.length} dump(s) refused by the kernel:\n${refusals.sort().join("\n")}`);
  });

  // `for` rather than `each`: concurrent tests must use their own context's `expect`.
  test.concurrent.for(files.map((file) => [file.name, file] as const))("%s", async ([, file], { expect }) => {
    const dump = readFileSync(file.path, "utf8");
    const kernel = await askKernel(file, dump);
    const nfwalk = nfwalkFormat(file, dump);
    if (!kernel.accepted) {
      const verdict = nfwalk.ok ? `accepted with ${nfwalk.warnings} warning(s)` : `refused: ${nfwalk.errors.split("\n")[0]}`;
      refusals.push(`  ${file.name}: iptables: ${oneLine(kernel.message)}; nfwalk: ${verdict}`);
      return;
    }
    if (!nfwalk.ok) throw new Error(`nfwalk refuses a dump the kernel accepts:\n${nfwalk.errors}`);
    const differences = diffSections(saveSections(nfwalk.text), saveSections(kernel.saved));
    expect(differences.join("\n"), "nfwalk fmt differs from iptables-save").toBe("");
  });
});
