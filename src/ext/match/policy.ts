/**
 * `-m policy` (libxt_policy, kernel xt_policy): the IPsec policy that
 * decapsulated an incoming packet (`--dir in`) or will encapsulate an
 * outgoing one (`--dir out`). `--pol none` is exact for nfwalk's hosts, which
 * have no IPsec; `--pol ipsec` never matches there.
 */
import type { Token } from "../../parse/syntax.js";
import { formatIPv4, formatIPv6, parseIPv6 } from "../../model/address.js";
import type { Hook, Negatable } from "../../model/types.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { hex, inetAton, parseKeyword, parsePrefixLength, parseUInt, protocolNumber } from "../values.js";

/** XT_POLICY_MAX_ELEM: `--next` joins at most four elements. */
const MAX_ELEMENTS = 4;
/** The IPsec protocols, named as getprotobynumber names them. */
const PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [50, "esp"],
  [51, "ah"],
  [108, "ipcomp"],
]);

/** A tunnel endpoint: the address is kept unmasked, as libxtables stores it. */
export type HostMask = { readonly family: "ipv4"; readonly address: number; readonly prefix: number } | { readonly family: "ipv6"; readonly address: bigint; readonly prefix: number };

export interface PolicyElement {
  readonly reqid?: Negatable<number>;
  readonly spi?: Negatable<number>;
  readonly proto?: Negatable<number>;
  readonly mode?: Negatable<"transport" | "tunnel">;
  readonly tunnelSrc?: Negatable<HostMask>;
  readonly tunnelDst?: Negatable<HostMask>;
}

export interface PolicyOptions {
  readonly dir: "in" | "out";
  readonly pol: "ipsec" | "none";
  readonly strict: boolean;
  /** Empty for `--pol none`, which drops any element options given. */
  readonly elements: readonly PolicyElement[];
}

type ElementKey = keyof PolicyElement;
const ELEMENT_OPTIONS: Readonly<Record<string, ElementKey>> = {
  reqid: "reqid",
  spi: "spi",
  proto: "proto",
  mode: "mode",
  "tunnel-src": "tunnelSrc",
  "tunnel-dst": "tunnelDst",
};

/**
 * XTTYPE_HOSTMASK: a numeric host, then an optional `/prefix` or `/mask`; a
 * mask that is not contiguous (or `/33`, read as the host 0.0.0.33) becomes
 * a full-length prefix. The address is not masked.
 */
function parseHostMask(ctx: ParseContext, token: Token): HostMask {
  const [hostText, maskText] = token.text.split(/\/(.*)/s);
  const fail = () => ctx.fail(token, `"${token.text}" is not a numeric address with an optional /prefix`, "bad-address");
  const full = ctx.family === "ipv4" ? 32 : 128;
  const prefix = maskText === undefined ? full : Math.min(parsePrefixLength(ctx, token, maskText, ctx.family), full);
  if (ctx.family === "ipv4") return { family: "ipv4", address: inetAton(hostText!) ?? fail(), prefix };
  return { family: "ipv6", address: parseIPv6(hostText!) ?? fail(), prefix };
}

function parseElementOption(ctx: ParseContext, use: OptionUse): PolicyElement {
  const arg = use.args[0]!;
  const negated = use.invert;
  switch (use.spec.name) {
    case "reqid":
      return { reqid: { value: parseUInt(ctx, arg, "--reqid", 0, 0xffffffff), negated } };
    case "spi":
      return { spi: { value: parseUInt(ctx, arg, "--spi", 0, 0xffffffff), negated } };
    case "proto": {
      const number = protocolNumber(arg.text) ?? ctx.fail(arg, `unknown protocol "${arg.text}"`, "unknown-protocol");
      if (!PROTOCOLS.has(number)) ctx.fail(arg, "--proto must be ah, esp or ipcomp", "bad-value");
      return { proto: { value: number, negated } };
    }
    case "mode":
      return { mode: { value: parseKeyword(ctx, arg, ["transport", "tunnel"], "--mode"), negated } };
    default:
      return { [ELEMENT_OPTIONS[use.spec.name]!]: { value: parseHostMask(ctx, arg), negated } };
  }
}

function parseElements(ctx: ParseContext, uses: readonly OptionUse[]): PolicyElement[] {
  const elements: PolicyElement[] = [{}];
  for (const use of uses) {
    if (use.spec.name === "next") {
      if (elements.length === MAX_ELEMENTS) ctx.fail(use.at, `at most ${MAX_ELEMENTS} policy elements`, "bad-value");
      elements.push({});
      continue;
    }
    const key = ELEMENT_OPTIONS[use.spec.name];
    if (key === undefined) continue;
    const current = elements.at(-1)!;
    if (current[key]) ctx.fail(use.at, `${use.at.text} given twice in one policy element`, "duplicate-option");
    elements[elements.length - 1] = { ...current, ...parseElementOption(ctx, use) };
  }
  return elements;
}

/** The kernel keeps mode 0 (transport) when none is given, so tunnel addresses need `--mode tunnel` or `! --mode transport`. */
function checkElement(ctx: ParseContext, element: PolicyElement, index: number, strict: boolean): void {
  const keys = Object.keys(element);
  if (strict && keys.length === 0) ctx.fail(ctx.at, `policy element ${index} is empty: --strict needs --reqid, --spi, --proto, --mode or a tunnel address in each`, "missing-option");
  const tunnel = element.mode ? (element.mode.value === "tunnel") !== element.mode.negated : false;
  if ((element.tunnelSrc || element.tunnelDst) && !tunnel) ctx.fail(ctx.at, "--tunnel-src and --tunnel-dst need --mode tunnel", "missing-option");
}

function saveHostMask(h: HostMask): string {
  const full = h.family === "ipv4" ? 32 : 128;
  const address = h.family === "ipv4" ? formatIPv4(h.address) : formatIPv6(h.address);
  return h.prefix === full ? address : `${address}/${h.prefix}`;
}

function saveElement(e: PolicyElement): string {
  const item = <T>(option: string, m: Negatable<T> | undefined, show: (v: T) => string) => (m ? `${m.negated ? " !" : ""} --${option} ${show(m.value)}` : "");
  return (
    item("reqid", e.reqid, String) +
    item("spi", e.spi, hex) +
    item("proto", e.proto, (p) => PROTOCOLS.get(p)!) +
    item("mode", e.mode, String) +
    item("tunnel-dst", e.tunnelDst, saveHostMask) +
    item("tunnel-src", e.tunnelSrc, saveHostMask)
  );
}

/** An input policy exists only before routing and on the way in, an output policy only on the way out. */
const DIRECTION_HOOKS: Readonly<Record<PolicyOptions["dir"], readonly Hook[]>> = {
  in: ["PREROUTING", "INPUT", "FORWARD"],
  out: ["FORWARD", "OUTPUT", "POSTROUTING"],
};

export const policy: MatchExtension<PolicyOptions> = {
  kind: "match",
  name: "policy",
  options: [
    { name: "dir", args: 1 },
    { name: "pol", args: 1 },
    { name: "strict", args: 0 },
    { name: "reqid", args: 1, invertible: true, repeatable: true },
    { name: "spi", args: 1, invertible: true, repeatable: true },
    { name: "tunnel-src", args: 1, invertible: true, repeatable: true },
    { name: "tunnel-dst", args: 1, invertible: true, repeatable: true },
    { name: "proto", args: 1, invertible: true, repeatable: true },
    { name: "mode", args: 1, invertible: true, repeatable: true },
    { name: "next", args: 0, repeatable: true },
  ],
  parse(uses, ctx) {
    const find = (name: string) => uses.find((u) => u.spec.name === name);
    const elements = parseElements(ctx, uses);
    const strict = find("strict") !== undefined;
    const next = find("next");
    if (next && !strict) ctx.fail(next.at, "--next needs --strict", "missing-option");
    const dirUse = find("dir") ?? ctx.fail(ctx.at, "-m policy needs --dir in or --dir out", "missing-option");
    const dir = parseKeyword(ctx, dirUse.args[0]!, ["in", "out"], "--dir");
    const polUse = find("pol");
    const pol = polUse ? parseKeyword(ctx, polUse.args[0]!, ["ipsec", "none"], "--pol") : "ipsec";
    if (pol === "none") {
      if (strict) ctx.fail(find("strict")!.at, "--pol none cannot be --strict", "conflicting-options");
      return { dir, pol, strict, elements: [] };
    }
    elements.forEach((e, i) => checkElement(ctx, e, i, strict));
    return { dir, pol, strict, elements };
  },
  hooks: (o) => DIRECTION_HOOKS[o.dir],
  save(o) {
    const flags = ` --dir ${o.dir} --pol ${o.pol}${o.strict ? " --strict" : ""}`;
    return flags + o.elements.map(saveElement).join(" --next");
  },
  /**
   * policy_mt: match_policy_in (no sec_path) and match_policy_out (no xfrm
   * on the route) answer -1 for a packet IPsec never touched, which is every
   * packet nfwalk traces; then `--pol none` matches and `--pol ipsec` does
   * not, whatever its elements say.
   */
  match: (o) => o.pol === "none",
};
