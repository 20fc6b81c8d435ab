/**
 * `-m ipvs` (libxt_ipvs, kernel xt_ipvs): properties of the IPVS connection a packet
 * belongs to. Validated and printed as iptables-save prints it; nfwalk models no IPVS
 * connections, so the match is unknown.
 */
import { formatAddress } from "../../packet/format.js";
import { parseHostMask, type HostMask } from "../target/host-option.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { parsePort, parseUInt, protocolNumber } from "../values.js";

type Field = "ipvs" | "vproto" | "vaddr" | "vport" | "vdir" | "vmethod" | "vportctl";

export interface IpvsOptions {
  /** Each option given, with its value as iptables-save prints it and its `!`, in print order. */
  readonly given: readonly { readonly field: Field; readonly text: string; readonly negated: boolean }[];
}

/** ipvs_mt_dump's order. */
const FIELDS: readonly Field[] = ["ipvs", "vproto", "vaddr", "vport", "vdir", "vmethod", "vportctl"];
const METHODS = ["GATE", "IPIP", "MASQ"] as const;

function value(ctx: ParseContext, use: OptionUse, field: Field): string {
  const arg = use.args[0];
  switch (field) {
    case "ipvs":
      return "";
    case "vproto": {
      // XTTYPE_PROTOCOL: a number or a name from /etc/protocols, whose aliases are upper case.
      const number = protocolNumber(arg!.text) ?? protocolNumber(arg!.text.toLowerCase());
      return String(number ?? ctx.fail(arg!, `unknown protocol "${arg!.text}"`, "unknown-protocol"));
    }
    case "vaddr":
      return hostMaskText(parseHostMask(ctx, arg!), ctx.family === "ipv4" ? 32 : 128);
    case "vport":
    case "vportctl":
      return String(serviceOrNumber(ctx, use));
    case "vdir": {
      const upper = arg!.text.toUpperCase();
      if (upper !== "ORIGINAL" && upper !== "REPLY") ctx.fail(arg!, `--vdir takes ORIGINAL or REPLY, not "${arg!.text}"`, "bad-value");
      return upper;
    }
    case "vmethod": {
      const method = METHODS.find((m) => m === arg!.text.toUpperCase());
      return method ?? ctx.fail(arg!, `--vmethod takes GATE, IPIP or MASQ, not "${arg!.text}"`, "bad-value");
    }
  }
}

/** XTTYPE_PORT: a service name (tcp or udp) or a number. */
function serviceOrNumber(ctx: ParseContext, use: OptionUse): number {
  const arg = use.args[0]!;
  return /^[0-9]/.test(arg.text) ? parseUInt(ctx, arg, `--${use.spec.name}`, 0, 65535) : parsePort(ctx, arg, arg.text, "tcp");
}

/** The address as given, then `/LEN` unless the whole address (xtables_ipmask_to_numeric). */
function hostMaskText(h: HostMask, full: number): string {
  return formatAddress(h.address) + (h.prefix === full ? "" : `/${h.prefix}`);
}

export const ipvs: MatchExtension<IpvsOptions> = {
  kind: "match",
  name: "ipvs",
  unmodelled: true,
  options: FIELDS.map((name) => ({ name, args: name === "ipvs" ? 0 : 1, invertible: name !== "vdir" })),
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m ipvs needs an option (--ipvs, --vproto, …)", "missing-option");
    const given = FIELDS.flatMap((field) => {
      const use = uses.find((u) => u.spec.name === field);
      return use ? [{ field, text: value(ctx, use, field), negated: use.invert }] : [];
    });
    return { given };
  },
  save(o) {
    // --ipvs prints only alone (the others imply it); --vdir REPLY is its negation.
    const alone = o.given.length === 1;
    return o.given
      .filter((g) => g.field !== "ipvs" || alone)
      .map((g) => `${g.negated ? " !" : ""} --${g.field}${g.text === "" ? "" : ` ${g.text}`}`)
      .join("");
  },
};
