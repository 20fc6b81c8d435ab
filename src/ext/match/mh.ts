/**
 * `-m mh` (libip6t_mh, kernel ip6t_mh): the type of an IPv6 Mobility Header.
 * The kernel registers it for protocol mobility-header (135) only, so the rule
 * needs `-p mh`. Type names as libip6t_mh knows them.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { formatRange, parseUIntText, type Range } from "../values.js";

const IPPROTO_MH = 135;

const TYPE_NAMES: ReadonlyMap<string, number> = new Map([
  ["binding-refresh-request", 0],
  ["brr", 0],
  ["home-test-init", 1],
  ["hoti", 1],
  ["careof-test-init", 2],
  ["coti", 2],
  ["home-test", 3],
  ["hot", 3],
  ["careof-test", 4],
  ["cot", 4],
  ["binding-update", 5],
  ["bu", 5],
  ["binding-acknowledgement", 6],
  ["ba", 6],
  ["binding-error", 7],
  ["be", 7],
]);

export interface MhOptions {
  readonly types: Range;
  readonly negated: boolean;
}

const ANY: Range = { min: 0, max: 0xff };

/** parse_mh_types: `type`, `type:`, `:type` or `type:type`, each a name or a number. */
function parseTypes(ctx: ParseContext, token: Token): Range {
  const type = (text: string, missing: number) => (text === "" ? missing : (TYPE_NAMES.get(text.toLowerCase()) ?? parseUIntText(ctx, token, text, "--mh-type", 0, 0xff)));
  const [first, second] = token.text.split(/:(.*)/s);
  const min = type(first!, 0);
  const max = second === undefined ? min : type(second, 0xff);
  // mh_parse refuses it itself ("Invalid MH type range (min > max)"), unlike the SPI ranges.
  if (min > max) ctx.fail(token, `invalid MH type range "${token.text}" (min > max)`, "bad-value");
  return { min, max };
}

export const mh: MatchExtension<MhOptions> = {
  kind: "match",
  name: "mh",
  families: ["ipv6"],
  options: [{ name: "mh-type", args: 1, invertible: true }],
  parse(uses, ctx) {
    if (ctx.protocol?.value !== IPPROTO_MH || ctx.protocol.negated) ctx.fail(ctx.at, "-m mh needs -p mh", "bad-protocol");
    const use = uses[0];
    return use ? { types: parseTypes(ctx, use.args[0]!), negated: use.invert } : { types: ANY, negated: false };
  },
  save(o) {
    if (o.types.min === ANY.min && o.types.max === ANY.max) return "";
    return `${o.negated ? " !" : ""} --mh-type ${formatRange(o.types)}`;
  },
  /** mh_mt6: later fragments never match; the type is not part of a described packet. */
  match(o, env) {
    if (env.packet.fragmentOffset !== 0) return false;
    return { unknown: `-m mh --mh-type ${formatRange(o.types)}: depends on the Mobility Header's type, which the packet description does not carry` };
  },
};
