/**
 * `ipset save` output (ipset 7.x) read into sets and their members, so a `-m set` match
 * can be answered from a snapshot:
 *
 *   create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536
 *   add KUBE-CLUSTER-IP 10.96.0.1,tcp:443
 *   add allow 192.168.1.0/24 nomatch
 *
 * `ipsetLookup` tests an element as the kernel's ip_set_test does for the set types that
 * compare addresses, ports and names (hash:*, bitmap:*, list:set): for net types the most
 * specific matching entry decides, and a `nomatch` entry makes the element absent.
 */
import { error, type Diagnostic } from "../diag/diagnostic.js";
import type { Parsed } from "./ip-json.js";
import { inPrefix } from "./prefix.js";
import { parseIPv4, parseIPv6 } from "../model/address.js";
import type { SetDirection } from "../ext/match/set.js";
import { hasPorts, type Address, type Packet } from "../packet/packet.js";

/** What one dimension of a set's elements holds (the words of its type: hash:ip,port → ip, port). */
export type DimensionKind = "ip" | "net" | "port" | "mac" | "iface" | "mark" | "set";

export type MemberPart =
  | { readonly kind: "ip" | "net"; readonly address: Address; readonly prefixLength: number }
  /** `tcp:443`; an unqualified port (bitmap:port) has protocol undefined and matches any protocol with ports. */
  | { readonly kind: "port"; readonly protocol: string | undefined; readonly port: number }
  /** mac, iface, mark and set members, compared as written. */
  | { readonly kind: "mac" | "iface" | "mark" | "set"; readonly text: string };

export interface IpsetMember {
  readonly parts: readonly MemberPart[];
  readonly nomatch: boolean;
  /** 1-based line in the `ipset save` text. */
  readonly line: number;
}

/** One set of `ipset save` output: its type, dimensions and members. */
export interface Ipset {
  readonly name: string;
  /** e.g. `hash:ip,port`. */
  readonly type: string;
  readonly dimensions: readonly DimensionKind[];
  /** The create line's options after the type (`family inet hashsize 1024 …`). */
  readonly options: readonly string[];
  readonly members: readonly IpsetMember[];
  readonly line: number;
}

/** The host's ipsets by name, which decide `-m set`. */
export interface IpsetContents {
  readonly sets: ReadonlyMap<string, Ipset>;
}

/** The element a packet gives a set, one key part a dimension. */
export type IpsetKeyPart =
  | { readonly kind: "address"; readonly address: Address }
  | { readonly kind: "port"; readonly protocol: string; readonly port: number }
  | { readonly kind: "text"; readonly text: string };

export type IpsetAnswer =
  | { readonly kind: "member"; readonly line: number }
  | { readonly kind: "nomatch"; readonly line: number }
  | { readonly kind: "absent" }
  /** The set is not in the snapshot, or the packet lacks what a dimension needs (no ports, a MAC). */
  | { readonly kind: "unknown"; readonly reason: string };

/** The dimensions of set types (hash:ip,port); a Map, so that "hash:constructor" is no type. */
const DIMENSIONS: ReadonlyMap<string, DimensionKind> = new Map(["ip", "net", "port", "mac", "iface", "mark", "set"].map((d) => [d, d as DimensionKind]));

/** Reads `ipset save` output; `file` names it in diagnostics. */
export function parseIpsetSave(text: string, file: string): Parsed<IpsetContents> {
  const diagnostics: Diagnostic[] = [];
  const drafts = new Map<string, Ipset & { members: IpsetMember[] }>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const words = [...raw.matchAll(/\S+/g)];
    const fail = (message: string, word = words[0]) => diagnostics.push(error("ipset-save", message, { file, line, column: (word?.index ?? 0) + 1, length: Math.max(1, word?.[0].length ?? 1) }));
    const [command, name, third, ...rest] = words.map((w) => w[0]);
    if (command === undefined) return;
    if (command === "create") {
      if (name === undefined || third === undefined) return void fail('"create" needs a set name and a type');
      const [method, dims] = third.split(":", 2);
      const dimensions = method === "list" ? (["set"] as DimensionKind[]) : (dims ?? "").split(",").map((d) => DIMENSIONS.get(d));
      if (!["hash", "bitmap", "list"].includes(method!) || dimensions.some((d) => d === undefined)) return void fail(`unknown set type "${third}"`, words[2]);
      drafts.set(name, { name, type: third, dimensions: dimensions as DimensionKind[], options: rest, members: [], line });
    } else if (command === "add") {
      const set = name === undefined ? undefined : drafts.get(name);
      if (set === undefined || third === undefined)
        return void fail(name === undefined || third === undefined ? '"add" needs a set name and an element' : `set "${name}" is added to before it is created`, words[1]);
      const parts = parseElement(third, set);
      if (typeof parts === "string") return void fail(parts, words[2]);
      set.members.push({ parts, nomatch: rest.includes("nomatch"), line });
    } else fail(`expected "create" or "add", not "${command}"`);
  });
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, value: { sets: drafts } };
}

/** One element's parts, or what is wrong with it. */
function parseElement(text: string, set: Ipset): MemberPart[] | string {
  const words = set.dimensions.length === 1 ? [text] : text.split(",");
  if (words.length !== set.dimensions.length) return `"${text}" does not have the ${set.dimensions.length} parts of a ${set.type} element`;
  const parts: MemberPart[] = [];
  for (const [i, word] of words.entries()) {
    const kind = set.dimensions[i]!;
    const part = kind === "ip" || kind === "net" ? addressPart(kind, word) : kind === "port" ? portPart(word) : { kind, text: word };
    if (part === undefined) return `"${word}" is not a valid ${kind} for ${set.type}`;
    parts.push(part);
  }
  return parts;
}

function addressPart(kind: "ip" | "net", word: string): MemberPart | undefined {
  const [addressText, lengthText] = word.split("/", 2);
  const v4 = parseIPv4(addressText!);
  const v6 = v4 === undefined ? parseIPv6(addressText!) : undefined;
  const address: Address | undefined = v4 !== undefined ? { family: "ipv4", value: v4 } : v6 !== undefined ? { family: "ipv6", value: v6 } : undefined;
  if (address === undefined) return undefined;
  const bits = address.family === "ipv4" ? 32 : 128;
  const prefixLength = lengthText === undefined ? bits : Number(lengthText);
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits) return undefined;
  return { kind, address, prefixLength };
}

function portPart(word: string): MemberPart | undefined {
  const m = /^(?:([a-z0-9]+):)?(\d+)$/.exec(word);
  if (!m || Number(m[2]) > 65535) return undefined;
  return { kind: "port", protocol: m[1], port: Number(m[2]) };
}

/** Tests an element against a set: list:set tests its member sets in order. */
export function ipsetLookup(contents: IpsetContents, name: string, key: readonly IpsetKeyPart[], seen: ReadonlySet<string> = new Set()): IpsetAnswer {
  const set = contents.sets.get(name);
  if (set === undefined) return { kind: "unknown", reason: `the snapshot has no ipset "${name}"` };
  if (set.dimensions[0] === "set") {
    for (const member of set.members) {
      const inner = member.parts[0]!.kind === "set" && !seen.has(name) ? ipsetLookup(contents, (member.parts[0] as { text: string }).text, key, new Set([...seen, name])) : undefined;
      if (inner?.kind === "member") return inner;
    }
    return { kind: "absent" };
  }
  const matching = set.members.filter((m) => m.parts.every((part, i) => partMatches(part, key[i])));
  if (matching.length === 0) return { kind: "absent" };
  const best = matching.reduce((a, b) => (specificity(b) > specificity(a) ? b : a));
  return { kind: best.nomatch ? "nomatch" : "member", line: best.line };
}

function specificity(member: IpsetMember): number {
  return member.parts.reduce((sum, p) => sum + (p.kind === "ip" || p.kind === "net" ? p.prefixLength : 0), 0);
}

function partMatches(part: MemberPart, key: IpsetKeyPart | undefined): boolean {
  if (key === undefined) return false;
  switch (part.kind) {
    case "ip":
    case "net":
      return key.kind === "address" && key.address.family === part.address.family && inPrefix(key.address, part.address, part.prefixLength);
    case "port":
      return key.kind === "port" && key.port === part.port && (part.protocol === undefined || part.protocol === key.protocol);
    default:
      return key.kind === "text" && key.text === part.text;
  }
}

/**
 * The element `-m set --match-set NAME DIRS` builds from a packet: dimension i takes the
 * source or destination side as DIRS[i] says, an address for ip/net dimensions, a port for
 * port dimensions. With fewer DIRS words than dimensions the key is short and matches
 * nothing, as ip_set_test refuses it. A dimension the packet cannot fill (a MAC, an
 * interface, a mark, an ICMP type) makes the key undefined.
 */
export function ipsetKeyOf(set: Ipset, directions: readonly SetDirection[], packet: Packet): IpsetKeyPart[] | undefined {
  const key: IpsetKeyPart[] = [];
  const t = packet.transport;
  for (const [i, kind] of set.dimensions.entries()) {
    const side = directions[i];
    if (side === undefined) break;
    if (kind === "ip" || kind === "net") key.push({ kind: "address", address: side === "src" ? packet.src : packet.dst });
    else if (kind === "port" && hasPorts(t)) key.push({ kind: "port", protocol: t.kind, port: side === "src" ? t.sport : t.dport });
    // ICMP elements (icmp:echo-request) are not modelled; other portless packets match no port element.
    else if (kind === "port" && t.kind !== "icmp" && t.kind !== "icmpv6") break;
    else return undefined;
  }
  return key;
}
