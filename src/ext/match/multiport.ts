/**
 * `-m multiport` (iptables libxt_multiport revision 1, kernel xt_multiport):
 * up to 15 ports or port ranges (a range takes two of the 15 slots) matched
 * against the source port, the destination port, or either.
 */
import type { Token } from "../../parse/syntax.js";
import { hasPorts } from "../../packet/packet.js";
import { fromRanges } from "../../sets/intervals.js";
import { boxOf, EMPTY, minus, union, type PacketSet } from "../../sets/packet-set.js";
import { exactly, PORT_PROTOCOLS as WITH_PORTS } from "../set-semantics.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { formatRange, parsePort, protocolName, type Range } from "../values.js";
import { portsWords } from "./ports.js";

/** XT_MULTI_PORTS: the kernel's slots for ports and range ends. */
const MAX_SLOTS = 15;

/** Protocols whose ports the kernel can read (proto_to_name in libxt_multiport). */
const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 136, 132, 33]);

export type MultiportDirection = "source" | "destination" | "either";

export interface MultiportOptions {
  readonly direction: MultiportDirection;
  readonly ports: readonly Range[];
  readonly negated: boolean;
}

const OPTION_FOR: Readonly<Record<MultiportDirection, string>> = { source: "sports", destination: "dports", either: "ports" };
const DIRECTION_OF: Readonly<Record<string, MultiportDirection>> = { "source-ports": "source", "destination-ports": "destination", ports: "either" };

/** parse_multi_ports_v1: `a,b:c,…`; a range must rise strictly. */
function parsePorts(ctx: ParseContext, token: Token, protocol: string): Range[] {
  const ports: Range[] = [];
  let slots = 0;
  for (const part of token.text.split(",")) {
    const [low, high, extra] = part.split(":");
    slots += high === undefined ? 1 : 2;
    if (slots > MAX_SLOTS) ctx.fail(token, `too many ports specified (at most ${MAX_SLOTS}, a range counts twice)`, "bad-port");
    if (extra !== undefined) ctx.fail(token, `invalid port/service "${high}:${extra}" specified`, "bad-port");
    const min = parsePort(ctx, token, low!, protocol);
    const max = high === undefined ? min : parsePort(ctx, token, high, protocol);
    if (high !== undefined && min >= max) ctx.fail(token, `invalid port range "${part}": the first port must be below the second`, "bad-port");
    ports.push({ min, max });
  }
  return ports;
}

export const multiport: MatchExtension<MultiportOptions> = {
  kind: "match",
  name: "multiport",
  options: [
    { name: "source-ports", aliases: ["sports"], args: 1, invertible: true },
    { name: "destination-ports", aliases: ["dports"], args: 1, invertible: true },
    { name: "ports", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m multiport needs --sports, --dports or --ports", "missing-option");
    const other = uses[1];
    if (other) ctx.fail(other.at, `--${other.spec.name} cannot be used together with --${use.spec.name}`, "conflicting-options");
    const protocol = ctx.protocol ?? ctx.fail(ctx.at, "multiport needs -p tcp, -p udp, -p udplite, -p sctp or -p dccp", "missing-protocol");
    if (protocol.negated || !PORT_PROTOCOLS.has(protocol.value)) {
      ctx.fail(ctx.at, "multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP", "missing-protocol");
    }
    const ports = parsePorts(ctx, use.args[0]!, protocolName(protocol.value)!);
    return { direction: DIRECTION_OF[use.spec.name]!, ports, negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --${OPTION_FOR[o.direction]} ${o.ports.map((r) => formatRange(r)).join(",")}`,
  /** multiport_mt (ports_match_v1): any listed port or range holds for the chosen side(s); later fragments never match. */
  /** Packets with ports whose source or destination port (or either) is in the list. */
  matchSet: (o) => exactly(multiportSet(o)),
  headerOnly: (o) => ({ set: multiportSet(o), laterFragments: false }),
  match(o, env) {
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || !hasPorts(t)) return false;
    const within = (port: number) => o.ports.some((r) => port >= r.min && port <= r.max);
    const hit = (o.direction !== "destination" && within(t.sport)) || (o.direction !== "source" && within(t.dport));
    return hit !== o.negated;
  },
  explain: {
    packetHas: (o, env) => portsWords(env, o.direction === "either" ? undefined : o.direction),
  },
};

function multiportSet(o: MultiportOptions): PacketSet {
  const list = fromRanges(o.ports.map((r) => [r.min, r.max]));
  const hit = union(o.direction === "destination" ? EMPTY : boxOf({ proto: WITH_PORTS, sport: list }), o.direction === "source" ? EMPTY : boxOf({ proto: WITH_PORTS, dport: list }));
  return o.negated ? minus(boxOf({ proto: WITH_PORTS }), hit) : hit;
}
