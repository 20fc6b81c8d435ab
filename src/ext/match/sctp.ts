/**
 * `-m sctp` (iptables libxt_sctp, kernel xt_sctp): source and destination
 * port ranges and the chunk types the packet carries (any, all or only
 * those listed, some with chunk flags).
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { parsePortRange } from "../values.js";
import { requireProtocol } from "./protocol.js";
import type { PortMatch } from "./ports.js";
import { portMatches } from "./tcp.js";

/** sctp_chunk_names[] in libxt_sctp's order: [name, chunk type, flag letters from bit 7 down to bit 0]. */
const CHUNK_NAMES: readonly (readonly [string, number, string])[] = [
  ["DATA", 0, "----IUBE"],
  ["INIT", 1, "--------"],
  ["INIT_ACK", 2, "--------"],
  ["SACK", 3, "--------"],
  ["HEARTBEAT", 4, "--------"],
  ["HEARTBEAT_ACK", 5, "--------"],
  ["ABORT", 6, "-------T"],
  ["SHUTDOWN", 7, "--------"],
  ["SHUTDOWN_ACK", 8, "--------"],
  ["ERROR", 9, "--------"],
  ["COOKIE_ECHO", 10, "--------"],
  ["COOKIE_ACK", 11, "--------"],
  ["ECN_ECNE", 12, "--------"],
  ["ECN_CWR", 13, "--------"],
  ["SHUTDOWN_COMPLETE", 14, "-------T"],
  ["I_DATA", 64, "----IUBE"],
  ["RE_CONFIG", 130, "--------"],
  ["PAD", 132, "--------"],
  ["ASCONF", 193, "--------"],
  ["ASCONF_ACK", 128, "--------"],
  ["FORWARD_TSN", 192, "--------"],
  ["I_FORWARD_TSN", 194, "--------"],
];
const CHUNK_MODES = ["any", "all", "only"] as const;
const ALL_CHUNKS = 256;

export interface SctpChunks {
  readonly mode: (typeof CHUNK_MODES)[number];
  /** Chunk types, ascending; all 256 for ALL. */
  readonly types: readonly number[];
  /** Chunk flags by chunk type: the bits examined and the bits of those that must be set. */
  readonly flags: ReadonlyMap<number, { readonly mask: number; readonly value: number }>;
  readonly negated: boolean;
}

export interface SctpOptions {
  readonly sport?: PortMatch;
  readonly dport?: PortMatch;
  readonly chunks?: SctpChunks;
}

/**
 * parse_sctp_chunk: ALL, NONE, or `NAME[:FLAGS],…` (names in any case; a flag letter in
 * upper case must be set, in lower case clear). libxt_sctp files a chunk's flags under
 * its index in the name table, not its type: they take effect only where the two agree.
 */
function parseChunks(ctx: ParseContext, mode: Token, list: Token, negated: boolean): SctpChunks {
  const modeName = CHUNK_MODES.find((m) => m === mode.text.toLowerCase()) ?? ctx.fail(mode, `--chunk-types takes any, all or only, not "${mode.text}"`, "bad-value");
  const upper = list.text.toUpperCase();
  if (upper === "ALL" || upper === "NONE") {
    return { mode: modeName, types: upper === "ALL" ? Array.from({ length: ALL_CHUNKS }, (_, i) => i) : [], flags: new Map(), negated };
  }
  const types = new Set<number>();
  const flags = new Map<number, { mask: number; value: number }>();
  for (const item of list.text.split(",")) {
    const [name = "", letters = ""] = item.split(":", 2);
    const index = CHUNK_NAMES.findIndex(([n]) => n === name.toUpperCase());
    if (index === -1) ctx.fail(list, `unknown SCTP chunk type "${name}"`, "bad-value");
    const [, type, valid] = CHUNK_NAMES[index]!;
    types.add(type);
    for (const letter of letters) {
      const position = valid.indexOf(letter.toUpperCase());
      if (position === -1) ctx.fail(list, `invalid flag "${letter}" for SCTP chunk type ${name}`, "bad-value");
      if (index !== type) continue;
      const bit = 1 << (7 - position);
      const old = flags.get(type) ?? { mask: 0, value: 0 };
      flags.set(type, { mask: old.mask | bit, value: /[A-Z]/.test(letter) ? old.value | bit : old.value });
    }
  }
  return { mode: modeName, types: [...types].sort((a, b) => a - b), flags, negated };
}

/** print_chunks: ALL, NONE, or the types in ascending order with their flags (bit 7 first). */
function formatChunks(c: SctpChunks): string {
  if (c.types.length === 0) return "NONE";
  if (c.types.length === ALL_CHUNKS) return "ALL";
  return c.types
    .map((type) => {
      const [name, , valid] = CHUNK_NAMES.find(([, t]) => t === type)!;
      const f = c.flags.get(type);
      if (!f) return name;
      let letters = "";
      for (let bit = 7; bit >= 0; bit--) {
        if (f.mask & (1 << bit)) letters += f.value & (1 << bit) ? valid[7 - bit] : valid[7 - bit]!.toLowerCase();
      }
      return `${name}:${letters}`;
    })
    .join(",");
}

/** sctp_save and dccp_save: a port range prints even when it is the full one. */
export function savePortRange(option: string, p: PortMatch | undefined): string {
  if (!p) return "";
  const { min, max } = p.range;
  return `${p.negated ? " !" : ""} --${option} ${min === max ? min : `${min}:${max}`}`;
}

const IPPROTO_SCTP = 132;

export const sctp: MatchExtension<SctpOptions> = {
  kind: "match",
  name: "sctp",
  options: [
    { name: "source-port", aliases: ["sport"], args: 1, invertible: true },
    { name: "destination-port", aliases: ["dport"], args: 1, invertible: true },
    { name: "chunk-types", args: 2, invertible: true },
  ],
  parse(uses, ctx) {
    requireProtocol(ctx, IPPROTO_SCTP, "sctp");
    let options: SctpOptions = {};
    for (const use of uses) {
      const [first, second] = use.args as [Token, Token | undefined];
      if (use.spec.name === "chunk-types") {
        options = { ...options, chunks: parseChunks(ctx, first, second!, use.invert) };
      } else {
        const port = { range: parsePortRange(ctx, first, first.text, "sctp"), negated: use.invert };
        options = { ...options, [use.spec.name === "source-port" ? "sport" : "dport"]: port };
      }
    }
    return options;
  },
  save(o) {
    let text = savePortRange("sport", o.sport) + savePortRange("dport", o.dport);
    if (o.chunks) text += `${o.chunks.negated ? " !" : ""} --chunk-types ${o.chunks.mode} ${formatChunks(o.chunks)}`;
    return text;
  },
  /** sctp_mt: ports, then the chunks (which a described packet does not list); later fragments never match. */
  match(o, env) {
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || t.kind !== "sctp") return false;
    if (!portMatches(o.sport, t.sport) || !portMatches(o.dport, t.dport)) return false;
    if (o.chunks) return { unknown: "--chunk-types looks at the SCTP chunks, which the packet description does not list" };
    return true;
  },
};
