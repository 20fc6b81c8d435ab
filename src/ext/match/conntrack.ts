/**
 * `-m conntrack` (iptables libxt_conntrack revision 3, kernel xt_conntrack):
 * the packet's connection: state, status bits, the tuples of either
 * direction, the time left, the packet's direction in it.
 */
import type { Token } from "../../parse/syntax.js";
import { formatIPv4, formatIPv6, parseCidr, parseIPv4, parseIPv6, prefixLength } from "../../model/address.js";
import type { Cidr, Negatable } from "../../model/types.js";
import type { Address } from "../../packet/packet.js";
import type { MatchEnv, MatchResult, Tuple } from "../semantics.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { formatRange, optionsOneByOne, parseUIntRange, protocolNumber, type Range } from "../values.js";
import { ctStateBits, ctStateMatches, formatCtStates, hasEntry, parseCtStates, parseNameList } from "./ct-state.js";
import { parsePortRangeRC } from "./ports.js";
import { whole } from "../set-semantics.js";
import { formatEndpoint } from "../../packet/format.js";

/** IPS_* status bits, in the order iptables-save prints them; NONE is no bit. */
const STATUS_BITS = [
  ["EXPECTED", 1 << 0],
  ["SEEN_REPLY", 1 << 1],
  ["ASSURED", 1 << 2],
  ["CONFIRMED", 1 << 3],
] as const;
const STATUS_PARSE_ORDER = ["NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"] as const;

/** An address and mask as XTTYPE_HOSTMASK leaves them: the address is not masked (the kernel masks both sides when comparing). */
export type HostMask = Cidr;

const CT_DIRECTIONS = ["ORIGINAL", "REPLY"] as const;
const ADDRESS_OPTIONS = ["ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst"] as const;
const PORT_OPTIONS = ["ctorigsrcport", "ctorigdstport", "ctreplsrcport", "ctrepldstport"] as const;
type AddressOption = (typeof ADDRESS_OPTIONS)[number];
type PortOption = (typeof PORT_OPTIONS)[number];

export interface ConntrackOptions {
  /** Bit set of CT_STATES. */
  readonly ctstate?: Negatable<number>;
  /** Layer-4 protocol number of the original tuple (0 for any). */
  readonly ctproto?: Negatable<number>;
  readonly addresses: Readonly<Partial<Record<AddressOption, Negatable<HostMask>>>>;
  readonly ports: Readonly<Partial<Record<PortOption, Negatable<Range>>>>;
  /** Bit set of IPS_* status bits; the kernel wants any of them set, so NONE (0) never matches. */
  readonly ctstatus?: Negatable<number>;
  /** Seconds left before the entry times out. */
  readonly ctexpire?: Negatable<Range>;
  /** The packet's direction: REPLY is the kernel's inverted XT_CONNTRACK_DIRECTION. */
  readonly ctdir?: (typeof CT_DIRECTIONS)[number];
}

function parseHostMask(ctx: ParseContext, token: Token): HostMask {
  const [addressText = "", maskText] = token.text.split("/", 2);
  const parsed = parseCidr(token.text, ctx.family);
  if (typeof parsed === "string") ctx.fail(token, parsed, "bad-address");
  // A mask that is not a prefix (255.0.255.0) ends up all-ones: xtables_ipmask_to_cidr gives -1.
  const contiguous = maskText === undefined || prefixLength(parsed) !== undefined;
  if (parsed.family === "ipv4") {
    return { family: "ipv4", address: parseIPv4(addressText)!, mask: contiguous ? parsed.mask : 0xffffffff };
  }
  return { family: "ipv6", address: parseIPv6(addressText)!, mask: contiguous ? parsed.mask : (1n << 128n) - 1n };
}

/** xtables_ipmask_to_numeric: nothing for a host, else `/len`. */
function formatHostMask(host: HostMask): string {
  const length = prefixLength(host)!;
  const address = host.family === "ipv4" ? formatIPv4(host.address) : formatIPv6(host.address);
  return length === (host.family === "ipv4" ? 32 : 128) ? address : `${address}/${length}`;
}

function negatable<T>(use: OptionUse, value: T): Negatable<T> {
  return { value, negated: use.invert };
}

export const conntrack: MatchExtension<ConntrackOptions> = {
  kind: "match",
  name: "conntrack",
  tracksConnections: () => true,
  options: [
    { name: "ctstate", args: 1, invertible: true },
    { name: "ctproto", args: 1, invertible: true },
    ...ADDRESS_OPTIONS.map((name) => ({ name, args: 1 as const, invertible: true })),
    { name: "ctstatus", args: 1, invertible: true },
    { name: "ctexpire", args: 1, invertible: true },
    ...PORT_OPTIONS.map((name) => ({ name, args: 1 as const, invertible: true })),
    { name: "ctdir", args: 1 },
  ],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m conntrack needs at least one option", "missing-option");
    let options: ConntrackOptions = { addresses: {}, ports: {} };
    for (const use of uses) {
      const arg = use.args[0]!;
      const name = use.spec.name;
      if ((ADDRESS_OPTIONS as readonly string[]).includes(name)) {
        options = { ...options, addresses: { ...options.addresses, [name]: negatable(use, parseHostMask(ctx, arg)) } };
      } else if ((PORT_OPTIONS as readonly string[]).includes(name)) {
        options = { ...options, ports: { ...options.ports, [name]: negatable(use, parsePortRangeRC(ctx, arg)) } };
      } else if (name === "ctstate") {
        options = { ...options, ctstate: negatable(use, parseCtStates(ctx, arg, true)) };
      } else if (name === "ctproto") {
        const number = protocolNumber(arg.text.toLowerCase()) ?? ctx.fail(arg, `unknown protocol "${arg.text}"`, "unknown-protocol");
        options = { ...options, ctproto: negatable(use, number) };
      } else if (name === "ctstatus") {
        options = { ...options, ctstatus: negatable(use, parseNameList(ctx, arg, STATUS_PARSE_ORDER, statusBit, "status")) };
      } else if (name === "ctexpire") {
        options = { ...options, ctexpire: negatable(use, parseUIntRange(ctx, arg, "--ctexpire", 0xffffffff)) };
      } else {
        const direction = CT_DIRECTIONS.find((d) => d === arg.text.toUpperCase()) ?? ctx.fail(arg, `--ctdir takes ORIGINAL or REPLY, not "${arg.text}"`, "bad-value");
        options = { ...options, ctdir: direction };
      }
    }
    return options;
  },
  save(o) {
    const not = (n: Negatable<unknown>) => (n.negated ? " !" : "");
    let text = "";
    if (o.ctstate) text += `${not(o.ctstate)} --ctstate ${formatCtStates(o.ctstate.value)}`;
    if (o.ctproto) text += `${not(o.ctproto)} --ctproto ${o.ctproto.value}`;
    for (const name of ADDRESS_OPTIONS) {
      const host = o.addresses[name];
      if (host) text += `${not(host)} --${name} ${formatHostMask(host.value)}`;
    }
    for (const name of PORT_OPTIONS) {
      const port = o.ports[name];
      // conntrack_dump_ports: a high end of 0 prints as the low end alone
      if (port) text += `${not(port)} --${name} ${port.value.max === 0 || port.value.min === port.value.max ? port.value.min : `${port.value.min}:${port.value.max}`}`;
    }
    if (o.ctstatus) text += `${not(o.ctstatus)} --ctstatus ${formatStatus(o.ctstatus.value)}`;
    if (o.ctexpire) text += `${not(o.ctexpire)} --ctexpire ${formatRange(o.ctexpire.value)}`;
    if (o.ctdir) text += ` --ctdir ${o.ctdir}`;
    return text;
  },
  match: conntrackMatch,
  /**
   * State, status, expiry and direction are the connection's, one for the
   * whole set; the tuple options compare addresses and ports as they were
   * before or after NAT, which the set walk does not follow.
   */
  matchSet(o, env) {
    if (o.ctproto || Object.keys(o.addresses).length > 0 || Object.keys(o.ports).length > 0) {
      return whole({ unknown: "-m conntrack's tuple options (--ctproto, --ctorig*, --ctrepl*) are not followed over packet sets" });
    }
    return whole(conntrackMatch(o, env.concrete));
  },
  explain: {
    // Each scalar option, address and port of the tuples on its own.
    parts(o) {
      const empty = { addresses: {}, ports: {} };
      const { addresses, ports, ...scalars } = o;
      return [
        ...optionsOneByOne<ConntrackOptions>({ ...empty, ...scalars }, empty),
        ...optionsOneByOne(addresses).map((a) => ({ ...empty, addresses: a })),
        ...optionsOneByOne(ports).map((p) => ({ ...empty, ports: p })),
      ];
    },
    packetHas(o, env) {
      const ct = env.conntrack;
      if (o.ctstate !== undefined) return `its connection state is ${formatCtStates(ctStateBits(ct))}`;
      if (o.ctdir !== undefined) return `it travels in the ${ct.reply ? "reply" : "original"} direction`;
      const original = ct.original;
      if (original === undefined) return undefined;
      return `its connection began as ${formatEndpoint(original.src, original.sport)} -> ${formatEndpoint(original.dst, original.dport)}`;
    },
  },
};

/** Which tuple and end each address and port option reads. */
const TUPLE_FIELD: Readonly<Record<AddressOption | PortOption, readonly ["original" | "replyTuple", "src" | "dst"]>> = {
  ctorigsrc: ["original", "src"],
  ctorigdst: ["original", "dst"],
  ctreplsrc: ["replyTuple", "src"],
  ctrepldst: ["replyTuple", "dst"],
  ctorigsrcport: ["original", "src"],
  ctorigdstport: ["original", "dst"],
  ctreplsrcport: ["replyTuple", "src"],
  ctrepldstport: ["replyTuple", "dst"],
};

const IPPROTO_ICMP = 1;
const IPPROTO_ICMPV6 = 58;

/** conntrack_addrcmp: equal under the rule's mask. */
function addressMatches(address: Address, host: HostMask): boolean {
  if (address.family === "ipv4" && host.family === "ipv4") return ((address.value ^ host.address) & host.mask) === 0;
  if (address.family === "ipv6" && host.family === "ipv6") return ((address.value ^ host.address) & host.mask) === 0n;
  return false;
}

/** tuple->src.u.all / dst.u.all: the port (ICMP: type and code; its id is not described), or 0 for protocols without ports. */
function tuplePort(tuple: Tuple, end: "src" | "dst"): number | undefined {
  const port = end === "src" ? tuple.sport : tuple.dport;
  if (port !== undefined) return port;
  return tuple.protocol === IPPROTO_ICMP || tuple.protocol === IPPROTO_ICMPV6 ? undefined : 0;
}

/**
 * conntrack_mt (revision 3): without an entry (INVALID, UNTRACKED) only --ctstate
 * can hold; otherwise every given option must, in the kernel's order. --ctexpire
 * reads the entry's timer, which nfwalk does not follow.
 */
function conntrackMatch(o: ConntrackOptions, env: MatchEnv): MatchResult {
  const ct = env.conntrack;
  if (o.ctstate && !ctStateMatches(o.ctstate.value, o.ctstate.negated, ct)) return false;
  if (!hasEntry(ct)) return o.ctstate !== undefined;
  if (o.ctdir && ct.reply !== (o.ctdir === "REPLY")) return false;
  const tuples = { original: ct.original!, replyTuple: ct.replyTuple! };
  for (const name of ADDRESS_OPTIONS) {
    const host = o.addresses[name];
    const [tuple, end] = TUPLE_FIELD[name];
    if (host && addressMatches(tuples[tuple][end], host.value) === host.negated) return false;
  }
  if (o.ctproto && (tuples.original.protocol === o.ctproto.value) === o.ctproto.negated) return false;
  let portUnknown = false;
  for (const name of PORT_OPTIONS) {
    const range = o.ports[name];
    if (!range) continue;
    const [tuple, end] = TUPLE_FIELD[name];
    const port = tuplePort(tuples[tuple], end);
    if (port === undefined) portUnknown = true;
    else if ((port >= range.value.min && port <= range.value.max) === range.negated) return false;
  }
  if (o.ctstatus && ((ct.status & o.ctstatus.value) !== 0) === o.ctstatus.negated) return false;
  if (portUnknown) return { unknown: "for ICMP, conntrack's source port is the echo identifier, which the packet description does not carry" };
  if (o.ctexpire) return { unknown: "--ctexpire reads the time left on the connection's timer, which nfwalk does not follow" };
  return true;
}

function statusBit(name: (typeof STATUS_PARSE_ORDER)[number]): number {
  return STATUS_BITS.find(([n]) => n === name)?.[1] ?? 0;
}

function formatStatus(mask: number): string {
  const names = STATUS_BITS.filter(([, bit]) => mask & bit).map(([name]) => name);
  return names.length === 0 ? "NONE" : names.join(",");
}
