/**
 * The snapshot file: one JSON object holding what nfwalk needs to know about a live host,
 * as `nfwalk snapshot` collected it. Versioned by `format`; a later version may add
 * members, and readers ignore members they do not know.
 *
 * Text outputs (iptables-save, ip6tables-save, ipset save) are kept as arrays of lines, so
 * the file stays readable and a position in a dump is a position in the file. `ip -json`
 * outputs and Docker's inspect outputs are kept as the JSON they are. A section that could
 * not be read is null, and `missing` says why.
 */
import type { Json } from "../host/json.js";
import type { KubeProxyMode } from "../kube/mode.js";

/** The format a snapshot file names itself by. */
export const SNAPSHOT_FORMAT = "nfwalk-snapshot/1";

/** Something the collector could not read, and why (not root, a tool not installed, no daemon, …). */
export interface Missing {
  readonly what: string;
  readonly reason: string;
}

export interface IpSections {
  /** `ip -json addr show`. */
  readonly addr: Json | null;
  /** `ip -json route show` (IPv4, main table). */
  readonly route: Json | null;
  /** `ip -6 -json route show` (main table). */
  readonly route6: Json | null;
  /** `ip -json rule show`: kept for the reader; nfwalk routes by the main table only. */
  readonly rule: Json | null;
}

/** Docker's inspect output in a snapshot. */
export interface DockerSection {
  /** `docker inspect` of the running containers. */
  readonly containers: Json;
  /** `docker network inspect` of every network. */
  readonly networks: Json;
}

/** A snapshot of a host: its rules, addresses, routes, sysctls, ipsets and Docker's metadata, as `nfwalk snapshot` writes it. */
export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** When it was taken, ISO 8601. */
  readonly taken: string;
  readonly iptables: readonly string[] | null;
  readonly ip6tables: readonly string[] | null;
  readonly ip: IpSections;
  /** Sysctl name (as sysctl(8) prints it) → value. */
  readonly sysctls: Readonly<Record<string, string>>;
  readonly ipset: readonly string[] | null;
  readonly docker: DockerSection | null;
  /**
   * How many connections the host was tracking (`net.netfilter.nf_conntrack_count`, both
   * families); null when nf_conntrack is not loaded or could not be read (`missing` says which).
   * Absent in snapshots written before nfwalk read it. More than none while the rules need no
   * conntrack means something outside them does.
   */
  readonly conntrack?: { readonly entries: number } | null;
  /** Present when the IPv4 rules are kube-proxy's. */
  readonly kubernetes: { readonly kubeProxyMode: KubeProxyMode } | null;
  readonly missing: readonly Missing[];
}

/** The file's text: two-space JSON, one dump line per file line, ending in a newline. */
export function writeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}

/** A program's text output as the lines a snapshot keeps (no empty last line for the final newline). */
export function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
