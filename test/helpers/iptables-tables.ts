/**
 * iptables' own extension test tables (`extensions/*.t` in iptables' source), read the way
 * its iptables-test.py reads them. They are GPL test files, so the project never holds a
 * copy: `.ci/iptables-tables` unpacks them from Debian's iptables source package into a
 * cache, and the tests read them from there.
 *
 * The format, per line: `#` comment; `:CHAIN,CHAIN` the chains the following rules are
 * appended to (each rule is tried in each); `*TABLE` the table (filter until given);
 * `@cmd`/`%cmd` a command iptables-test runs as is (creating an nfacct object, …);
 * otherwise `RULE;SAVED;RESULT[;VARIANT[;OTHER]]`: RULE loads (OK) and iptables-save prints
 * it as SAVED (`=`: as written), or iptables refuses it (FAIL), or it loads and prints
 * differently from SAVED (NOMATCH). A result scoped to a VARIANT (LEGACY or NFT) is the
 * other one's OTHER result, or the opposite of RESULT.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Family, TableName } from "../../src/model/types.js";

export const IPTABLES_SRC = process.env.NFWALK_IPTABLES_SRC ?? "/var/cache/nfwalk/iptables-src";

/** What iptables-nft (the reference: Debian's iptables is the nf_tables variant) does with a rule. */
export type Expected =
  | { readonly kind: "ok"; readonly saved: string }
  /** OK with an empty SAVED: iptables-test.py looks for SAVED in the output, so any print will do. */
  | { readonly kind: "loads" }
  | { readonly kind: "fail" }
  | { readonly kind: "nomatch"; readonly saved: string };

export interface TableCase {
  /** `libxt_udp.t:12`, the case's name in reports. */
  readonly id: string;
  /** `libxt_udp.t: -p udp --sport 4:3`: names the case in every iptables version's tables. */
  readonly key: string;
  readonly family: Family;
  readonly table: TableName;
  readonly chains: readonly string[];
  readonly rule: string;
  readonly expected: Expected;
}

/** The directory holding the `.t` files, or why there is none. */
export function tablesDirectory(): { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly reason: string } {
  const dir = join(IPTABLES_SRC, "extensions");
  if (!existsSync(dir) || !readdirSync(dir).some((name) => name.endsWith(".t"))) {
    return { ok: false, reason: `${dir} holds no .t files (run .ci/iptables-tables, or set NFWALK_IPTABLES_SRC to an unpacked iptables source)` };
  }
  return { ok: true, dir };
}

/**
 * The family iptables-test.py runs a table in: ip6tables for libip6t_, iptables for libipt_,
 * libxt_ and iptables.t; arptables and ebtables tables are not iptables-save dumps.
 */
export function tableFamily(fileName: string): Family | undefined {
  if (!fileName.endsWith(".t") || fileName.startsWith("libarpt_") || fileName.startsWith("libebt_")) return undefined;
  return fileName.startsWith("libip6t_") ? "ipv6" : "ipv4";
}

const RESULTS = new Set(["OK", "FAIL", "NOMATCH"]);
const OPPOSITE: Readonly<Record<string, string>> = { OK: "FAIL", FAIL: "OK", NOMATCH: "OK" };

/** The cases of one `.t` file. */
export function parseTable(fileName: string, text: string, family: Family): TableCase[] {
  const cases: TableCase[] = [];
  let table: TableName = "filter";
  let chains: string[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "" || line.startsWith("#") || line.startsWith("@") || line.startsWith("%")) return;
    if (line.startsWith("*")) table = line.slice(1).trim() as TableName;
    else if (line.startsWith(":")) chains = line.slice(1).trim().split(",");
    else {
      const id = `${fileName}:${index + 1}`;
      const { rule, expected } = ruleLine(line, id);
      cases.push({ id, key: `${fileName}: ${rule.trim()}`, family, table, chains, rule, expected });
    }
  });
  return cases;
}

function ruleLine(line: string, id: string): { rule: string; expected: Expected } {
  const [rule, saved, result, variant, other] = line.split(";").map((field, i) => (i === 0 ? field : field.trimEnd()));
  if (rule === undefined || saved === undefined || result === undefined || !RESULTS.has(result)) throw new Error(`${id}: not a test line: ${line}`);
  // The scoped result holds for the nf_tables variant only when it names it.
  const nft = variant === undefined || variant === "NFT" ? result : (other ?? OPPOSITE[result]!);
  const text = saved === "=" ? rule.trim() : saved;
  if (nft === "FAIL") return { rule, expected: { kind: "fail" } };
  if (nft === "OK" && text === "") return { rule, expected: { kind: "loads" } };
  return { rule, expected: nft === "OK" ? { kind: "ok", saved: text } : { kind: "nomatch", saved: text } };
}

/** Every case of every table nfwalk can read, in file order. */
export function allTableCases(dir: string): TableCase[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const family = tableFamily(name);
      return family === undefined ? [] : parseTable(name, readFileSync(join(dir, name), "utf8"), family);
    });
}

/** A minimal dump holding one rule in one chain: what the case loads. */
export function caseDump(c: TableCase, chain: string): string {
  return [`*${c.table}`, `:${chain} ACCEPT [0:0]`, `-A ${chain} ${c.rule}`, "COMMIT", ""].join("\n");
}
