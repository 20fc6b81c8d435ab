/**
 * `-m addrtype` (iptables libxt_addrtype revision 1, kernel xt_addrtype):
 * the route type (RTN_*) of the source or destination address, looked up
 * in all routes or only through the packet's input or output interface.
 */
import type { Hook } from "../../model/types.js";
import type { Address } from "../../packet/packet.js";
import type { MatchEnv } from "../semantics.js";
import type { MatchExtension } from "../types.js";
import { EVERYTHING, intersect } from "../../sets/packet-set.js";
import { exactly } from "../set-semantics.js";
import { negatedIf } from "../../sets/address-set.js";
import { parseNameList } from "./ct-state.js";
import { optionsOneByOne } from "../values.js";
import { formatAddress } from "../../packet/format.js";

/** Route types in RTN_* order: a type's bit is 1 << its index. */
export const ADDRESS_TYPES = ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** Types IPv6 routing has no notion of; the kernel refuses them for ip6tables. */
const NOT_IPV6: readonly AddressType[] = ["BROADCAST", "BLACKHOLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];

export interface AddrtypeTypes {
  /** Bit set over ADDRESS_TYPES: the address has one of these types. */
  readonly types: number;
  readonly negated: boolean;
}

export interface AddrtypeOptions {
  readonly source?: AddrtypeTypes;
  readonly destination?: AddrtypeTypes;
  /** Look the address up through the packet's input (`in`) or output (`out`) interface only. */
  readonly limitInterface?: "in" | "out";
}

const bit = (type: AddressType) => 1 << ADDRESS_TYPES.indexOf(type);

/** --limit-iface-in needs an input interface, --limit-iface-out an output one. */
const HOOKS_FOR: Readonly<Record<"in" | "out", readonly Hook[]>> = {
  in: ["PREROUTING", "INPUT", "FORWARD"],
  out: ["FORWARD", "OUTPUT", "POSTROUTING"],
};

function formatTypes(option: string, types: AddrtypeTypes | undefined): string {
  if (!types) return "";
  return `${types.negated ? " !" : ""} --${option} ${ADDRESS_TYPES.filter((t) => types.types & bit(t)).join(",")}`;
}

export const addrtype: MatchExtension<AddrtypeOptions> = {
  kind: "match",
  name: "addrtype",
  options: [
    { name: "src-type", args: 1, invertible: true },
    { name: "dst-type", args: 1, invertible: true },
    { name: "limit-iface-in", args: 0 },
    { name: "limit-iface-out", args: 0 },
  ],
  parse(uses, ctx) {
    let options: AddrtypeOptions = {};
    for (const use of uses) {
      const name = use.spec.name;
      if (name === "limit-iface-in" || name === "limit-iface-out") {
        if (options.limitInterface) ctx.fail(use.at, "--limit-iface-in and --limit-iface-out cannot be used together", "conflicting-options");
        options = { ...options, limitInterface: name === "limit-iface-in" ? "in" : "out" };
        continue;
      }
      const token = use.args[0]!;
      const types = parseNameList(ctx, token, ADDRESS_TYPES, bit, "address type");
      const refused = ctx.family === "ipv6" ? NOT_IPV6.find((t) => types & bit(t)) : undefined;
      if (refused) ctx.fail(token, `address type ${refused} does not exist for IPv6`, "bad-value");
      options = { ...options, [name === "src-type" ? "source" : "destination"]: { types, negated: use.invert } };
    }
    if (!options.source && !options.destination) ctx.fail(ctx.at, "-m addrtype needs --src-type or --dst-type", "missing-option");
    return options;
  },
  save(o) {
    let text = formatTypes("src-type", o.source) + formatTypes("dst-type", o.destination);
    if (o.limitInterface) text += ` --limit-iface-${o.limitInterface}`;
    return text;
  },
  hooks: (o) => (o.limitInterface ? HOOKS_FOR[o.limitInterface] : undefined),
  /** addrtype_mt_v1: the source test, then (if it held) the destination test, each inverted on its own. */
  /** The same test, asked once per piece of address space the host treats alike. */
  matchSet(o, env) {
    const c = env.concrete;
    const device = o.limitInterface === "in" ? c.inInterface : o.limitInterface === "out" ? c.outInterface : undefined;
    const test = c.packet.family === "ipv4" ? matchType : matchType6;
    const side = (field: "src" | "dst", types: AddrtypeTypes | undefined) =>
      types
        ? negatedIf(
            types.negated,
            env.host.addressesWhere(field, (address) => test(c, address, types.types, device)),
          )
        : EVERYTHING;
    return exactly(intersect(side("src", o.source), side("dst", o.destination)));
  },
  match(o, env) {
    const device = o.limitInterface === "in" ? env.inInterface : o.limitInterface === "out" ? env.outInterface : undefined;
    const test = env.packet.family === "ipv4" ? matchType : matchType6;
    const holds = (address: Address, types: AddrtypeTypes | undefined) => !types || test(env, address, types.types, device) !== types.negated;
    return holds(env.packet.src, o.source) && holds(env.packet.dst, o.destination);
  },
  explain: {
    // --src-type and --dst-type each on its own, with the interface limit beside them.
    parts: (o) => optionsOneByOne(o, o.limitInterface === undefined ? {} : { limitInterface: o.limitInterface }),
    packetHas(o, env) {
      const which = o.destination !== undefined ? "destination" : "source";
      const address = which === "destination" ? env.packet.dst : env.packet.src;
      // As the match asks it: with --limit-iface-in/out, the type the address has on that interface.
      const device = o.limitInterface === "in" ? env.inInterface : o.limitInterface === "out" ? env.outInterface : undefined;
      return `its ${which} ${formatAddress(address)} is of type ${env.host.addressType(address, device)}${device === undefined ? "" : ` on ${device}`}`;
    },
  },
};

/** match_type: the address's route type (inet_dev_addr_type) is one of the mask. */
function matchType(env: MatchEnv, address: Address, mask: number, device: string | undefined): boolean {
  return (mask & bit(env.host.addressType(address, device))) !== 0;
}

const V6_LOOKUP_TYPES = bit("LOCAL") | bit("ANYCAST") | bit("UNREACHABLE");
const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * match_type6: MULTICAST, UNICAST and UNSPEC are each a condition on the address
 * itself (ipv6_addr_type: a v4-mapped address is not unicast); LOCAL, ANYCAST and
 * UNREACHABLE are then decided by the route lookup (match_lookup_rt6).
 */
function matchType6(env: MatchEnv, address: Address, mask: number, device: string | undefined): boolean {
  const value = address.value as bigint;
  const multicast = value >> 120n === 0xffn;
  const unicast = !multicast && value !== 0n && value >> 32n !== MAPPED_PREFIX;
  if (mask & bit("MULTICAST") && !multicast) return false;
  if (mask & bit("UNICAST") && !unicast) return false;
  if (mask & bit("UNSPEC") && value !== 0n) return false;
  if (!(mask & V6_LOOKUP_TYPES)) return true;
  return (mask & V6_LOOKUP_TYPES & bit(env.host.addressType(address, device))) !== 0;
}
