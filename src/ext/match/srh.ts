/**
 * `-m srh` (libip6t_srh, kernel ip6t_srh): fields of the IPv6 Segment Routing Header,
 * compared for equal, greater or less, and the previous, next and last segment ids by
 * prefix (revision 1). Validated and printed as ip6tables-save prints it; the header walk
 * is not modelled.
 */
import { formatAddress } from "../../packet/format.js";
import { parseHostMask, type HostMask } from "../target/host-option.js";
import type { MatchExtension } from "../types.js";
import { parseUInt } from "../values.js";

/** The header fields, in ip6tables-save's order; the comparisons of one field share its value. */
const FIELDS = [
  { field: "next-hdr", tests: [""], max: 0xff },
  { field: "hdr-len", tests: ["-eq", "-gt", "-lt"], max: 0xff },
  { field: "segs-left", tests: ["-eq", "-gt", "-lt"], max: 0xff },
  { field: "last-entry", tests: ["-eq", "-gt", "-lt"], max: 0xff },
  { field: "tag", tests: [""], max: 0xffff },
] as const;
const SIDS = ["psid", "nsid", "lsid"] as const;

type Field = (typeof FIELDS)[number]["field"];
type Sid = (typeof SIDS)[number];

export interface SrhOptions {
  /** Each field's value: the last one given of its comparisons. */
  readonly values: Readonly<Partial<Record<Field, number>>>;
  /** The comparisons asked for (`hdr-len-gt`, `tag`), each with its `!`. */
  readonly tests: ReadonlyMap<string, boolean>;
  readonly sids: Readonly<Partial<Record<Sid, { readonly at: HostMask; readonly inverted: boolean }>>>;
}

const TEST_OPTIONS = FIELDS.flatMap(({ field, tests, max }) => tests.map((test) => ({ option: `srh-${field}${test}`, field, max })));

export const srh: MatchExtension<SrhOptions> = {
  kind: "match",
  name: "srh",
  families: ["ipv6"],
  unmodelled: true,
  options: [...TEST_OPTIONS.map(({ option }) => ({ name: option, args: 1 as const, invertible: true })), ...SIDS.map((sid) => ({ name: `srh-${sid}`, args: 1 as const, invertible: true }))],
  parse(uses, ctx) {
    const values: Partial<Record<Field, number>> = {};
    const tests = new Map<string, boolean>();
    const sids: Partial<Record<Sid, { at: HostMask; inverted: boolean }>> = {};
    for (const use of uses) {
      const test = TEST_OPTIONS.find((t) => t.option === use.spec.name);
      if (test) {
        values[test.field] = parseUInt(ctx, use.args[0]!, `--${test.option}`, 0, test.max);
        tests.set(test.option, use.invert);
      } else sids[use.spec.name.slice(4) as Sid] = { at: parseHostMask(ctx, use.args[0]!), inverted: use.invert };
    }
    return { values, tests, sids };
  },
  save(o) {
    const numbers = TEST_OPTIONS.map(({ option, field }) => {
      const inverted = o.tests.get(option);
      return inverted === undefined ? "" : `${inverted ? " !" : ""} --${option} ${o.values[field]}`;
    });
    const sids = SIDS.map((sid) => {
      const given = o.sids[sid];
      return given ? `${given.inverted ? " !" : ""} --srh-${sid} ${formatAddress(given.at.address)}/${given.at.prefix}` : "";
    });
    return numbers.join("") + sids.join("");
  },
};
