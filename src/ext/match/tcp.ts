/**
 * `-m tcp` (iptables libxt_tcp, kernel xt_tcpudp): source and destination
 * port ranges, TCP flags, TCP options.
 */
import type { MatchEnv } from "../semantics.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { boxOf, EMPTY, EVERYTHING, type PacketSet } from "../../sets/packet-set.js";
import { minus, range, type Intervals } from "../../sets/intervals.js";
import { exactly } from "../set-semantics.js";
import { formatRange, optionsOneByOne, parsePortRange, parseUInt } from "../values.js";
import { nftPortMatch, portsPrinted, portsWords, SharedByPort, sharedPortMatch, type PortMatch } from "./ports.js";
import { requireProtocol } from "./protocol.js";

/** The flags iptables knows by name; ECE and CWR have none, and ALL means these six. */
export const TCP_FLAGS = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"] as const;
export type TcpFlagName = (typeof TCP_FLAGS)[number];
const FLAG_BITS: Readonly<Record<TcpFlagName, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 };
const ALL_FLAGS = 0x3f;

export interface TcpOptions {
  readonly sport?: PortMatch;
  readonly dport?: PortMatch;
  /** Bits examined and the bits of those that must be set. */
  readonly flags?: { readonly mask: number; readonly compare: number; readonly negated: boolean };
  readonly option?: { readonly kind: number; readonly negated: boolean };
  /**
   * iptables-nft made no comparison of the match's options (`! --sport 0:65535`):
   * iptables-save prints no `-m tcp`, and the rule matches every packet of its -p.
   */
  readonly vanished?: true;
}

/** `SYN,ACK`, `ALL`, `NONE` → bit set, as libxt_tcp's parse_tcp_flag reads them (any case). */
export function parseTcpFlags(ctx: ParseContext, use: OptionUse, index: number): number {
  const token = use.args[index]!;
  let bits = 0;
  for (const name of token.text.split(",")) {
    const upper = name.toUpperCase();
    if (upper === "ALL") bits |= ALL_FLAGS;
    else if (upper === "NONE") continue;
    else if (Object.hasOwn(FLAG_BITS, upper)) bits |= FLAG_BITS[upper as TcpFlagName];
    else ctx.fail(token, `unknown TCP flag "${name}"`, "bad-value");
  }
  return bits;
}

/** Bit set → `FIN,SYN` or `NONE`, as libxt_tcp's print_tcpf writes it. */
export function formatTcpFlags(bits: number): string {
  if (bits === 0) return "NONE";
  return TCP_FLAGS.filter((f) => bits & FLAG_BITS[f]).join(",");
}

/** A port inside the range, negation applied (port_match in xt_tcpudp.c). */
export function portMatches(match: PortMatch | undefined, port: number): boolean {
  return match === undefined || (port >= match.range.min && port <= match.range.max) !== match.negated;
}

/** The single port a non-negated port match requires; undefined for a range or a negation. */
export function singlePort(match: PortMatch | undefined): number | undefined {
  return match && !match.negated && match.range.min === match.range.max ? match.range.min : undefined;
}

/** tcp_save leaves out the full range 0:65535, negated or not. */
export function savePorts(option: string, match: PortMatch | undefined): string {
  if (!portsPrinted(match)) return "";
  return `${match.negated ? " !" : ""} --${option} ${formatRange(match.range)}`;
}

const IPPROTO_TCP = 6;

/** The ports as nf_tables keeps them (nftPortMatch), and whether a negated full range was dropped. */
export function nativePorts(
  givenSport: PortMatch | undefined,
  givenDport: PortMatch | undefined,
  uses: readonly OptionUse[],
  ctx: ParseContext,
): { sport: PortMatch | undefined; dport: PortMatch | undefined; dropped: boolean } {
  const sport = givenSport && nftPortMatch(givenSport);
  const dport = givenDport && nftPortMatch(givenDport);
  const negatedFull = uses.find((u) => u.invert && (u.spec.name === "source-port" ? !sport : u.spec.name === "destination-port" && !dport));
  // Written, the rule matches nothing; loaded, it matches everything: worth saying.
  if (negatedFull)
    ctx.warn(
      negatedFull.at,
      `"! ${negatedFull.at.text} ${negatedFull.args[0]!.text}" excludes every port, but iptables-nft makes no comparison of it: the kernel's rule matches as if it were not there, and iptables-save leaves it out`,
      "dropped-option",
    );
  return { sport, dport, dropped: negatedFull !== undefined };
}

/**
 * What iptables-nft keeps of a tcp or udp match of which it made no comparison: no
 * `-m NAME` in the print, and every packet of the rule's -p matches.
 */
export const VANISHED = Object.freeze({ vanished: true } as const);

/**
 * Whether iptables-nft keeps the xtables match: with an option, or when nothing is negated
 * and nothing prints (`--dport 0:65535` or no option at all).
 */
export function isXtMatch(options: TcpOptions, uses: readonly OptionUse[]): boolean {
  if (options.vanished) return false;
  return options.option !== undefined || (options.flags === undefined && uses.every((u) => !u.invert) && !portsPrinted(options.sport) && !portsPrinted(options.dport));
}

export const tcp: MatchExtension<TcpOptions> = {
  kind: "match",
  name: "tcp",
  merges: true,
  options: [
    { name: "source-port", aliases: ["sport"], args: 1, invertible: true },
    { name: "destination-port", aliases: ["dport"], args: 1, invertible: true },
    { name: "tcp-flags", args: 2, invertible: true },
    { name: "syn", args: 0, invertible: true },
    { name: "tcp-option", args: 1, invertible: true },
  ],
  parse(uses, ctx) {
    // `-m tcp` alone (kube-proxy writes it on half its tcp rules): the shared empty options of
    // an xtables match, without the general path's calls (most of a dump's uses run before V8 optimizes it).
    if (uses.length === 0) {
      requireProtocol(ctx, IPPROTO_TCP, "tcp");
      return NO_OPTIONS;
    }
    let givenSport: PortMatch | undefined;
    let givenDport: PortMatch | undefined;
    let flags: TcpOptions["flags"];
    let option: TcpOptions["option"];
    for (const use of uses) {
      const arg = use.args[0];
      switch (use.spec.name) {
        case "source-port":
          givenSport = sharedPortMatch(parsePortRange(ctx, arg!, arg!.text, "tcp"), use.invert);
          break;
        case "destination-port":
          givenDport = sharedPortMatch(parsePortRange(ctx, arg!, arg!.text, "tcp"), use.invert);
          break;
        case "tcp-flags":
        case "syn":
          if (flags) ctx.fail(use.at, "only one of --tcp-flags and --syn may be given", "duplicate-option");
          flags = use.spec.name === "syn" ? { mask: 0x17, compare: 0x02, negated: use.invert } : { mask: parseTcpFlags(ctx, use, 0), compare: parseTcpFlags(ctx, use, 1), negated: use.invert };
          break;
        case "tcp-option":
          option = { kind: parseUInt(ctx, arg!, "TCP option", 1, 255), negated: use.invert };
          break;
      }
    }
    // iptables-nft compares ports and flags natively (nft.c add_nft_tcp); an option keeps
    // the xtables match, which the kernel checks against -p itself.
    const { sport, dport, dropped } = nativePorts(givenSport, givenDport, uses, ctx);
    const dportAtMost = !sport && !flags && !option;
    const options: TcpOptions = !dportAtMost ? { sport, dport, flags, option } : dport ? DESTINATION_PORT_ONLY.of(dport) : dropped ? VANISHED : NO_OPTIONS;
    requireProtocol(ctx, IPPROTO_TCP, "tcp", !isXtMatch(options, uses));
    return options;
  },
  save(o) {
    if (o.vanished) return null;
    let text = savePorts("sport", o.sport) + savePorts("dport", o.dport);
    if (o.option) text += `${o.option.negated ? " !" : ""} --tcp-option ${o.option.kind}`;
    if (o.flags && (o.flags.mask !== 0 || o.flags.negated)) {
      text += `${o.flags.negated ? " !" : ""} --tcp-flags ${formatTcpFlags(o.flags.mask)} ${formatTcpFlags(o.flags.compare)}`;
    }
    return text;
  },
  /**
   * tcp_mt: ports and flags of the TCP header; later fragments never match.
   * A described packet carries no TCP options, so --tcp-option finds none
   * and holds only negated (tcp_find_option).
   */
  match(o, env: MatchEnv) {
    if (o.vanished) return true;
    const t = env.packet.transport;
    if (env.packet.fragmentOffset !== 0 || t.kind !== "tcp") return false;
    if (!portMatches(o.sport, t.sport) || !portMatches(o.dport, t.dport)) return false;
    if (o.flags && ((t.flags & o.flags.mask) === o.flags.compare) === o.flags.negated) return false;
    return o.option ? o.option.negated : true;
  },
  /** TCP packets in the port ranges; the flags and options are the set's own (one value for all its TCP packets). */
  matchSet(o, env) {
    if (o.vanished) return exactly(EVERYTHING);
    if (tcp.match!({ flags: o.flags, option: o.option }, env.probe(TCP)) !== true) return exactly(EMPTY);
    return exactly(tcpPorts(o));
  },
  /** With flags or options to test, it reads more than the header. */
  headerOnly(o) {
    if (o.vanished) return { set: EVERYTHING, laterFragments: true };
    if (o.flags || o.option) return undefined;
    return { set: tcpPorts(o), laterFragments: false };
  },
  requiredDestinationPort: (o) => singlePort(o.dport),
  explain: {
    parts: (o) => optionsOneByOne(o),
    packetHas(o, env) {
      const t = env.packet.transport;
      if (o.dport === undefined && o.sport === undefined && o.flags !== undefined && t.kind === "tcp") return `its TCP flags are ${formatTcpFlags(t.flags) || "none"}`;
      return portsWords(env, o.dport !== undefined ? "destination" : o.sport !== undefined ? "source" : undefined);
    },
  },
};

const TCP = 6;

const DESTINATION_PORT_ONLY = new SharedByPort<TcpOptions>((dport) => ({ sport: undefined, dport, flags: undefined, option: undefined }));
/** `-m tcp` alone (kube-proxy's DNAT rules have it), shared. */
const NO_OPTIONS: TcpOptions = Object.freeze({ sport: undefined, dport: undefined, flags: undefined, option: undefined });

function tcpPorts(o: TcpOptions): PacketSet {
  return boxOf({ proto: [TCP, TCP], sport: portValues(o.sport), dport: portValues(o.dport) });
}

/** The ports a port match holds for; undefined: all. */
export function portValues(match: PortMatch | undefined): Intervals | undefined {
  if (!match) return undefined;
  const { min, max } = match.range;
  return match.negated ? minus([0, 65535], range(min, max)) : range(min, max);
}
