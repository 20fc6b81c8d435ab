/**
 * The kernel as the reference for reading `iptables -S` output: each corpus dump is loaded
 * into a fresh namespace with iptables-restore; there `iptables -t TABLE -S` (and `-S -v`)
 * prints every table, and nfwalk must load those outputs, pasted as users paste them, into
 * what it loads from `iptables-save` of the same namespace: the same `fmt` output, rule for
 * rule (counters too, from `-S -v` against `iptables-save -c`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "vitest";
import { formatRuleset, parseRuleset, renderDiagnostic } from "../../src/index.js";
import { createLimiter } from "../kernel/limit.js";
import { kernelAvailable, mustExec, saveSections, withNamespace, type Family, type Netns } from "../kernel/netns.js";

const corpus = path.resolve(import.meta.dirname, "../../../shared/corpus");

/** Dumps of both families, real and Docker's; the largest are left out, their restore alone takes seconds. */
const MAX_DUMP_BYTES = 200_000;

function dumps(): { name: string; text: string; family: Family }[] {
  const folders = [
    { dir: "real", suffixes: { ".rules": "ipv4", ".rules6": "ipv6" } as const },
    { dir: "docker/iptables", suffixes: { "__iptables.golden": "ipv4", "__ip6tables.golden": "ipv6" } as const },
  ];
  return folders.flatMap(({ dir, suffixes }) =>
    readdirSync(path.join(corpus, dir))
      .sort()
      // Docker's layouts differ in a few rules each: every fifth is plenty.
      .filter((_, i) => dir === "real" || i % 5 === 0)
      .flatMap((file) => {
        const family = Object.entries(suffixes).find(([suffix]) => file.endsWith(suffix))?.[1];
        const text = family && readFileSync(path.join(corpus, dir, file), "utf8");
        return family && text && text.length <= MAX_DUMP_BYTES ? [{ name: `${dir}/${file}`, text, family }] : [];
      }),
  );
}

function skipReason(): string | undefined {
  if (!existsSync(corpus)) return `${corpus} is missing`;
  const kernel = kernelAvailable();
  return kernel.ok ? undefined : kernel.reason;
}

const skipped = skipReason();
if (skipped !== undefined) console.log(`list-rules-kernel: skipped: ${skipped}`);
const limit = createLimiter(2);

/** What the namespace prints: iptables-save (-c) and each table's `-S` (-v) output. */
interface Printed {
  readonly save: string;
  readonly saveCounters: string;
  readonly tables: { readonly name: string; readonly listed: string; readonly listedCounters: string }[];
}

async function printed(ns: Netns, family: Family): Promise<Printed> {
  const program = family === "ipv4" ? "iptables" : "ip6tables";
  const save = await ns.save(family);
  const saveCounters = (await mustExec(ns, [`${program}-save`, "-c"])).stdout;
  const tables = [];
  for (const name of saveSections(save).keys()) {
    const listed = (await mustExec(ns, [program, "-t", name, "-S"])).stdout;
    const listedCounters = (await mustExec(ns, [program, "-t", name, "-S", "-v"])).stdout;
    tables.push({ name, listed, listedCounters });
  }
  return { save, saveCounters, tables };
}

/** nfwalk's canonical print of a text, or its errors as the failure. */
function fmt(text: string, file: string, family: Family | undefined, counters: boolean): string {
  const loaded = parseRuleset(text, { file, ...(family && { family }) });
  if (!loaded.ok) return `nfwalk refuses ${file}:\n${loaded.diagnostics.map((d) => renderDiagnostic(d)).join("\n")}`;
  return formatRuleset(loaded.ruleset, { counters });
}

describe.skipIf(skipped !== undefined)("iptables -S output loads as the iptables-save dump of the same rules", () => {
  test.concurrent.for(skipped === undefined ? dumps().map((d) => [d.name, d] as const) : [])("%s", async ([, dump], { expect }) => {
    const kernel = await limit(() =>
      withNamespace(async (ns) => {
        const restored = await ns.restore(dump.text, dump.family);
        return restored.ok ? printed(ns, dump.family) : undefined;
      }),
    );
    if (kernel === undefined) return; // the kernel refuses the dump: nothing to print (corpus-kernel lists these)
    const program = dump.family === "ipv4" ? "iptables" : "ip6tables";
    const expected = fmt(kernel.save, "save", dump.family, false);

    // Each table after the command that printed it, once as a comment and once after a shell
    // prompt; the command says the family too.
    const withCommands = kernel.tables.map((t, i) => `${i % 2 === 0 ? "# " : "root@host:~# "}${program} -t ${t.name} -S\n${t.listed}`).join("");
    expect(fmt(withCommands, "with-commands", undefined, false)).toBe(expected);

    // One output after the other with nothing between: the policies say which table each is.
    // The security table has filter's chains, so it needs its command line.
    const bare = kernel.tables.filter((t) => t.name !== "security");
    const withoutSecurity = fmt(kernel.save.replace(/^\*security\n[\s\S]*?^COMMIT\n/m, ""), "save", dump.family, false);
    expect(fmt(bare.map((t) => t.listed).join(""), "bare", dump.family, false)).toBe(withoutSecurity);

    // `-S -v` counters are the dump's counters.
    const verbose = kernel.tables.map((t) => `# ${program} -t ${t.name} -S -v\n${t.listedCounters}`).join("");
    expect(fmt(verbose, "verbose", dump.family, true)).toBe(fmt(kernel.saveCounters, "save-c", dump.family, true));
  });
});
