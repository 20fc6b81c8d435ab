/**
 * The NAT range shared by DNAT, SNAT, MASQUERADE and REDIRECT (iptables
 * libxt_NAT.c, kernel `struct nf_nat_range2`): an address range, a port range
 * with an optional base for shifted port maps, and the random/persistent
 * flags. One factory builds the four targets, because libxt_NAT.c does the
 * same: they differ only in the option names, the tables and hooks.
 */
import type { Token } from "../../parse/syntax.js";
import { formatIPv4, formatIPv6, parseIPv4Between, parseIPv6 } from "../../model/address.js";
import type { Hook } from "../../model/types.js";
import { SERVICE_PORTS } from "../data/services.js";
import type { NatAddressRange, NatKind, NatPortRange, NatRange } from "../semantics.js";
import type { OptionSpec, ParseContext, TargetExtension } from "../types.js";
import { parseCNumber, plainDecimal, SharedValues } from "../values.js";

type NatFlag = "random" | "random-fully" | "persistent";

const FLAG_FIELDS: Readonly<Record<NatFlag, "random" | "randomFully" | "persistent">> = {
  random: "random",
  "random-fully": "randomFully",
  persistent: "persistent",
};

/** Protocols whose rules may give ports (libxt_NAT's portok; ICMP maps its id). */
const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 132, 33, 1]);

interface NatTargetSpec {
  readonly name: string;
  /** How the engine carries the target out (which side, where the address comes from). */
  readonly kind: Exclude<NatKind, "netmap">;
  /** `to-destination` / `to-source` (address and ports) or `to-ports` (ports only). */
  readonly rangeOption: "to-destination" | "to-source" | "to-ports";
  /** The range option must be given (XTOPT_MAND). */
  readonly mandatory: boolean;
  readonly flags: readonly NatFlag[];
  /**
   * Shifted port maps (`a-b/base`): DNAT revision 2 keeps the base; SNAT and
   * MASQUERADE keep the flag but have no room for the base, so the kernel
   * gets (and iptables-save prints) `/0`; REDIRECT refuses them.
   */
  readonly offset: "kept" | "zeroed" | "refused";
  readonly hooks: readonly Hook[];
}

export function natTarget(spec: NatTargetSpec): TargetExtension<NatRange> {
  const options: OptionSpec[] = [{ name: spec.rangeOption, args: 1 }, ...spec.flags.map((name): OptionSpec => ({ name, args: 0 }))];
  return {
    kind: "target",
    name: spec.name,
    tracksConnections: () => true,
    options,
    tables: ["nat"],
    hooks: () => spec.hooks,
    parse(uses, ctx) {
      // Every field from the start, filled in place: one hidden class for all rules, and the
      // fields inside the object (spreads of optional fields gave each DNAT rule a class of its
      // own, and fields added later go to a second object).
      const range: { -readonly [K in keyof NatRange]: NatRange[K] } = { random: false, randomFully: false, persistent: false, addresses: undefined, ports: undefined };
      let given = false;
      for (const use of uses) {
        const name = use.spec.name;
        if (name === spec.rangeOption) {
          const arg = use.args[0]!;
          if (name === "to-ports") range.ports = parsePorts(ctx, arg, arg.text);
          else parseTo(ctx, arg, range);
          if (range.ports) range.ports = shiftedPorts(ctx, arg, spec, range.ports);
          given = true;
        } else {
          range[FLAG_FIELDS[name as NatFlag]] = true;
        }
      }
      if (spec.mandatory && !given) ctx.fail(ctx.at, `${spec.name} needs --${spec.rangeOption}`, "missing-option");
      return range;
    },
    apply: (range) => ({ kind: "nat", request: { kind: spec.kind, range } }),
    save(range) {
      let text = "";
      const formatted = formatRange(range, spec.rangeOption === "to-ports");
      if (formatted !== "") text += ` --${spec.rangeOption} ${formatted}`;
      if (range.random) text += " --random";
      if (range.randomFully) text += " --random-fully";
      if (range.persistent) text += " --persistent";
      return text;
    },
  };
}

function shiftedPorts(ctx: ParseContext, token: Token, spec: NatTargetSpec, ports: NatPortRange): NatPortRange {
  if (ports.base === undefined || spec.offset === "kept") return ports;
  if (spec.offset === "refused") ctx.fail(token, `${spec.name} does not support shifted port maps ("/${ports.base}")`, "bad-value");
  ctx.warn(token, `${spec.name} keeps no base port for "/${ports.base}": the kernel gets "/0", which iptables-save prints and iptables-restore then refuses`, "lossy-option");
  return { ...ports, base: 0 };
}

/** What parseTo fills in: the range's address and port fields. */
type RangeFields = { -readonly [K in keyof Pick<NatRange, "addresses" | "ports">]: NatRange[K] };

/** `[ip[-ip]][:port[-port[/base]]]`, IPv6 in brackets when ports follow (libxt_NAT's parse_to), into `range` (no object of its own: it runs for every DNAT rule). */
function parseTo(ctx: ParseContext, token: Token, range: RangeFields): void {
  const text = token.text;
  // The address is text[start, end); ports follow the colon at `colon`.
  let start = 0;
  let end = text.length;
  let colon = -1;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1 || ctx.family === "ipv4") ctx.fail(token, `invalid address format "${text}"`, "bad-address");
    start = 1;
    end = close;
    colon = text.indexOf(":", close + 1);
  } else {
    const first = text.indexOf(":");
    // One colon introduces ports; more than one means an IPv6 address.
    if (first !== -1 && text.indexOf(":", first + 1) === -1) end = colon = first;
  }
  if (colon !== -1) range.ports = parsePorts(ctx, token, text.slice(colon + 1));
  if (colon === 0 || (colon === 2 && text.startsWith("[]"))) return;
  range.addresses = parseAddressRange(ctx, token, text, start, end);
}

/** `ip[-ip]` in text[start, end). */
function parseAddressRange(ctx: ParseContext, token: Token, text: string, start: number, end: number): NatAddressRange {
  const dash = text.indexOf("-", start);
  const minEnd = dash === -1 || dash >= end ? end : dash;
  const single = minEnd === end;
  if (ctx.family === "ipv4") {
    // Read in place: no piece of the text is copied unless it is refused.
    const min = parseIPv4Between(text, start, minEnd) ?? badAddress(ctx, token, text.slice(start, minEnd));
    return { family: "ipv4", min, max: single ? min : (parseIPv4Between(text, minEnd + 1, end) ?? badAddress(ctx, token, text.slice(minEnd + 1, end))) };
  }
  const minText = text.slice(start, minEnd);
  const min = parseIPv6(minText) ?? badAddress(ctx, token, minText);
  const maxText = text.slice(minEnd + 1, end);
  return { family: "ipv6", min, max: single ? min : (parseIPv6(maxText) ?? badAddress(ctx, token, maxText)) };
}

function badAddress(ctx: ParseContext, token: Token, part: string): never {
  return ctx.fail(token, `bad IP address "${part}"`, "bad-address");
}

/** `port[-port[/base]]`, as libxt_NAT's parse_ports reads it: only the first port and the base may be service names. */
function parsePorts(ctx: ParseContext, token: Token, text: string): NatPortRange {
  const protocol = ctx.protocol?.value;
  if (protocol === undefined || !PORT_PROTOCOLS.has(protocol)) {
    ctx.fail(token, "ports need -p tcp, udp, sctp, dccp or icmp", "missing-protocol");
  }
  // The usual `:80`, without the general reading below.
  const plain = plainDecimal(text);
  if (plain !== undefined && plain <= 65535) return singlePort(plain);
  const bad = (part: string): never => ctx.fail(token, `port "${part}" is not valid`, "bad-port");
  // A number with anything after it, or else the whole word as a service name.
  const [min, rest] = numberPrefix(text) ?? [serviceName(text) ?? bad(text), ""];
  if (rest === "") return singlePort(min);
  if (rest.startsWith(":")) ctx.fail(token, `invalid port:port syntax in "${text}": use a dash`, "bad-port");
  if (!rest.startsWith("-")) ctx.fail(token, `garbage after port value: "${rest}"`, "bad-port");
  const [maxText, baseText] = splitOnce(rest.slice(1), "/");
  const [max, garbage] = numberPrefix(maxText) ?? bad(maxText);
  if (garbage !== "") ctx.fail(token, `garbage after port range: "${garbage}"`, "bad-port");
  if (max < min) ctx.fail(token, `port range "${text}" is reversed`, "bad-port");
  if (baseText === undefined) return { min, max };
  // Like the first port, but what follows a number is ignored (parse_ports does not look at it).
  const base = numberPrefix(baseText);
  return { min, max, base: base && base[0] >= 1 ? base[0] : (serviceName(baseText) ?? bad(baseText)) };
}

const SINGLE_PORTS = new SharedValues<number, NatPortRange>();

/** One range for each single port (`:80`, the usual form), shared by the rules that map to it. */
function singlePort(port: number): NatPortRange {
  return SINGLE_PORTS.get(port) ?? SINGLE_PORTS.add(port, { min: port, max: port });
}

/** xtables_strtoui with an end pointer: the longest number at the start, in [0, 65535], and what follows. */
function numberPrefix(text: string): [number, string] | undefined {
  const first = text.charCodeAt(0) - 48;
  if (first >= 1 && first <= 9) {
    // Decimal, the usual notation, read without a regular expression.
    let value = first;
    let end = 1;
    for (let digit = text.charCodeAt(end) - 48; digit >= 0 && digit <= 9; digit = text.charCodeAt(++end) - 48) value = value * 10 + digit;
    return value > 65535 ? undefined : [value, text.slice(end)];
  }
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*)/.exec(text);
  if (!m) return undefined;
  const value = parseCNumber(m[1]!);
  if (value === undefined || value > 65535n) return undefined;
  return [Number(value), text.slice(m[1]!.length)];
}

/** getservbyname(name, NULL): the port of the first protocol that knows the name. */
function serviceName(name: string): number | undefined {
  return SERVICE_PORTS.get(`${name}/tcp`) ?? SERVICE_PORTS.get(`${name}/udp`);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** sprint_range: addresses (IPv6 in brackets when ports follow), then `:ports`; `--to-ports` drops the colon. */
function formatRange(range: NatRange, portsOnly: boolean): string {
  let text = "";
  const brackets = range.addresses?.family === "ipv6" && range.ports !== undefined;
  if (range.addresses) {
    const a = range.addresses;
    // Each family spelled out (no helper closure per call: this runs for every DNAT rule printed).
    let body: string;
    if (a.family === "ipv4") body = a.min === a.max ? formatIPv4(a.min) : `${formatIPv4(a.min)}-${formatIPv4(a.max)}`;
    else body = a.min === a.max ? formatIPv6(a.min) : `${formatIPv6(a.min)}-${formatIPv6(a.max)}`;
    text += brackets ? `[${body}]` : body;
  }
  if (range.ports) {
    const p = range.ports;
    text += `${portsOnly && text === "" ? "" : ":"}${p.min}${p.max !== p.min ? `-${p.max}` : ""}${p.base !== undefined ? `/${p.base}` : ""}`;
  }
  return text;
}
