/**
 * Reads a snapshot file back: checks its format and shape, and hands out its parts as the
 * texts the existing readers take (a dump, `ip -json` output, `ipset save`), with every
 * diagnostic placed at its line and column in the snapshot file.
 */
import { error, type Diagnostic } from "../diag/diagnostic.js";
import type { Parsed } from "../host/ip-json.js";
import { lineColumn, parseJson, type Json } from "../host/json.js";
import { SNAPSHOT_FORMAT, type DockerSection, type IpSections, type Snapshot } from "./format.js";
import { isolate, relocateToElement, stringElementOffsets, valueEnd } from "./spans.js";

/** A text a snapshot holds as an array of lines. */
export interface EmbeddedText {
  /** The program's output, lines joined with newlines. */
  readonly text: string;
  /** Moves a diagnostic about `text` to where that line and column stand in the snapshot file. */
  relocate(d: Diagnostic): Diagnostic;
}

export type TextSection = "iptables" | "ip6tables" | "ipset";

/** A snapshot read back, with the texts of its sections and where each lies in the file. */
export interface LoadedSnapshot {
  readonly file: string;
  /** The snapshot file's text, which relocated diagnostics point into. */
  readonly fileText: string;
  readonly snapshot: Snapshot;
  /** A text section; undefined when the collector could not read it. */
  text(section: TextSection): EmbeddedText | undefined;
  /**
   * An `ip -json` section as a text for parseIpAddr / parseIpRoute: the snapshot file with
   * everything else blanked, so their diagnostics point into the snapshot. Undefined when null.
   */
  ipJson(section: keyof IpSections): string | undefined;
  /** A section of the Docker metadata (`docker inspect` output), in place as ipJson's are. Undefined without one. */
  dockerJson(section: keyof DockerSection): string | undefined;
}

type JsonObject = { readonly [key: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isLines = (v: Json | undefined): v is readonly string[] => Array.isArray(v) && v.every((l) => typeof l === "string");

/** Reads a snapshot file (`nfwalk snapshot`); `file` names it in diagnostics. */
export function parseSnapshot(text: string, file: string): Parsed<LoadedSnapshot> {
  const parsed = parseJson(text);
  const at = (offset: number, message: string, code = "snapshot-shape"): Diagnostic => error(code, message, { file, ...lineColumn(text, offset), length: 1 });
  if (!parsed.ok) return { ok: false, diagnostics: [at(parsed.offset, `not valid JSON: ${parsed.message}`, "snapshot-syntax")] };
  const root = parsed.value;
  if (!isObject(root)) return { ok: false, diagnostics: [at(0, "expected the JSON object `nfwalk snapshot` writes")] };
  const members = parsed.offsets.get(root)!.members;
  const where = (key: string) => members.get(key) ?? 0;
  const diagnostics: Diagnostic[] = [];
  const check = (ok: boolean, key: string, message: string) => ok || diagnostics.push(at(where(key), message));
  const format = root["format"];
  if (format !== SNAPSHOT_FORMAT) {
    const newer = typeof format === "string" && format.startsWith("nfwalk-snapshot/");
    diagnostics.push(
      at(where("format"), newer ? `${JSON.stringify(format)}: a newer snapshot format than this nfwalk reads (${SNAPSHOT_FORMAT})` : `"format" must be "${SNAPSHOT_FORMAT}": not an nfwalk snapshot`),
    );
    return { ok: false, diagnostics };
  }
  for (const key of ["iptables", "ip6tables", "ipset"]) check(root[key] === null || isLines(root[key]), key, `"${key}" must be null or an array of lines`);
  const ip = root["ip"];
  check(isObject(ip), "ip", `"ip" must be an object with "addr", "route", "route6" and "rule"`);
  const membersOf = (value: Json | undefined) => (isObject(value) ? parsed.offsets.get(value)!.members : new Map<string, number>());
  const ipMembers = membersOf(ip);
  const dockerMembers = membersOf(root["docker"]);
  const sysctls = root["sysctls"];
  check(isObject(sysctls) && Object.values(sysctls).every((v) => typeof v === "string"), "sysctls", `"sysctls" must map names to string values`);
  const missing = root["missing"];
  check(Array.isArray(missing) && missing.every((m) => isObject(m) && typeof m["what"] === "string" && typeof m["reason"] === "string"), "missing", `"missing" must be an array of {"what", "reason"}`);
  if (diagnostics.length > 0) return { ok: false, diagnostics };

  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    taken: typeof root["taken"] === "string" ? root["taken"] : "",
    iptables: root["iptables"] as readonly string[] | null,
    ip6tables: root["ip6tables"] as readonly string[] | null,
    ip: { addr: ipValue(ip, "addr"), route: ipValue(ip, "route"), route6: ipValue(ip, "route6"), rule: ipValue(ip, "rule") },
    sysctls: sysctls as Readonly<Record<string, string>>,
    ipset: root["ipset"] as readonly string[] | null,
    docker: isObject(root["docker"]) ? (root["docker"] as unknown as Snapshot["docker"]) : null,
    conntrack: isObject(root["conntrack"]) && typeof root["conntrack"]["entries"] === "number" ? { entries: root["conntrack"]["entries"] } : null,
    kubernetes: isObject(root["kubernetes"]) ? (root["kubernetes"] as unknown as Snapshot["kubernetes"]) : null,
    missing: missing as unknown as Snapshot["missing"],
  };
  const inPlace = (start: number | undefined) => (start === undefined ? undefined : isolate(text, start, valueEnd(text, start)));
  return {
    ok: true,
    value: {
      file,
      fileText: text,
      snapshot,
      text: (section) => {
        const lines = snapshot[section];
        if (lines === null) return undefined;
        const elements = stringElementOffsets(text, where(section));
        return { text: lines.map((l) => l + "\n").join(""), relocate: (d) => relocateToElement(d, file, text, elements) };
      },
      ipJson: (section) => (snapshot.ip[section] === null ? undefined : inPlace(ipMembers.get(section))),
      dockerJson: (section) => inPlace(dockerMembers.get(section)),
    },
  };
}

function ipValue(ip: Json | undefined, key: keyof IpSections): Json | null {
  return isObject(ip) ? (ip[key] ?? null) : null;
}
