/**
 * `-m rt` (libip6t_rt, kernel ip6t_rt): the IPv6 routing header — type,
 * segments left, length, and for type 0 the reserved field and addresses.
 */
import { formatIPv6, parseIPv6 } from "../../model/address.js";
import type { Negatable } from "../../model/types.js";
import type { MatchExtension, OptionUse } from "../types.js";
import { formatRange, parseUInt, parseUIntRange, type Range } from "../values.js";

/** IP6T_RT_HOPS: the most addresses --rt-0-addrs takes. */
const MAX_ADDRESSES = 16;
const U32 = 0xffffffff;

export interface RtOptions {
  readonly type?: Negatable<number>;
  /** 0:4294967295 (any) unless given; may be reversed, which matches nothing. */
  readonly segsleft: Negatable<Range>;
  readonly length?: Negatable<number>;
  /** --rt-0-res: the type 0 header's reserved field must be 0. */
  readonly reservedZero: boolean;
  /** --rt-0-addrs, in order; `strict: false` for --rt-0-not-strict (any order, a subset). */
  readonly addresses?: { readonly list: readonly bigint[]; readonly strict: boolean };
}

const ANY: Range = { min: 0, max: U32 };

export const rt: MatchExtension<RtOptions> = {
  kind: "match",
  name: "rt",
  families: ["ipv6"],
  options: [
    { name: "rt-type", args: 1, invertible: true },
    { name: "rt-segsleft", args: 1, invertible: true },
    { name: "rt-len", args: 1, invertible: true },
    { name: "rt-0-res", args: 0 },
    { name: "rt-0-addrs", args: 1 },
    { name: "rt-0-not-strict", args: 0 },
  ],
  parse(uses, ctx) {
    let options: RtOptions = { segsleft: { value: ANY, negated: false }, reservedZero: false };
    /** rt_parse checks, option by option, that a type 0 came first. */
    const needType0 = (use: OptionUse) => {
      if (options.type?.value !== 0 || options.type.negated) ctx.fail(use.at, `${use.at.text} needs --rt-type 0 before it`, "missing-option");
    };
    for (const use of uses) {
      const arg = use.args[0]!;
      switch (use.spec.name) {
        case "rt-type":
          options = { ...options, type: { value: parseUInt(ctx, arg, "--rt-type", 0, U32), negated: use.invert } };
          break;
        case "rt-segsleft":
          options = { ...options, segsleft: { value: parseUIntRange(ctx, arg, "--rt-segsleft", U32), negated: use.invert } };
          break;
        case "rt-len":
          options = { ...options, length: { value: parseUInt(ctx, arg, "--rt-len", 0, U32), negated: use.invert } };
          break;
        case "rt-0-res":
          needType0(use);
          options = { ...options, reservedZero: true };
          break;
        case "rt-0-addrs": {
          needType0(use);
          const words = arg.text.split(",");
          if (words.length > MAX_ADDRESSES) ctx.fail(arg, `at most ${MAX_ADDRESSES} addresses`, "bad-value");
          const list = words.map((w) => parseIPv6(w) ?? ctx.fail(arg, `"${w}" is not an IPv6 address`, "bad-address"));
          options = { ...options, addresses: { list, strict: true } };
          break;
        }
        case "rt-0-not-strict": {
          const given = options.addresses ?? ctx.fail(use.at, "--rt-0-not-strict needs --rt-0-addrs before it", "missing-option");
          options = { ...options, addresses: { list: given.list, strict: false } };
          break;
        }
      }
    }
    return options;
  },
  save(o) {
    const not = (n: { negated: boolean }) => (n.negated ? " !" : "");
    let text = o.type ? `${not(o.type)} --rt-type ${o.type.value}` : "";
    const s = o.segsleft.value;
    // rt_save leaves out the full range, negated or not.
    if (s.min !== ANY.min || s.max !== ANY.max) text += `${not(o.segsleft)} --rt-segsleft ${formatRange(s)}`;
    if (o.length) text += `${not(o.length)} --rt-len ${o.length.value}`;
    if (o.reservedZero) text += " --rt-0-res";
    if (o.addresses) text += ` --rt-0-addrs ${o.addresses.list.map(formatIPv6).join(",")}${o.addresses.strict ? "" : " --rt-0-not-strict"}`;
    return text;
  },
  /**
   * rt_mt6: ipv6_find_hdr finds no routing header in the packets nfwalk
   * describes (they carry no extension headers), and then the match fails
   * whatever its options and negations.
   */
  match: () => false,
};
