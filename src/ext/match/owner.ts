/**
 * `-m owner` (libxt_owner revision 1, kernel xt_owner): the uid, gid and
 * socket of the local process that sent the packet. The kernel allows it only
 * where packets have a local sender: OUTPUT and POSTROUTING.
 */
import type { Token } from "../../parse/syntax.js";
import type { Hook } from "../../model/types.js";
import type { MatchEnv, MatchResult } from "../semantics.js";
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { whole } from "../set-semantics.js";
import { parseUIntText, type Range } from "../values.js";

/** -1 means "no id" to the kernel, so the largest id is one less. */
const MAX_ID = 0xfffffffe;
const HOOKS: readonly Hook[] = ["OUTPUT", "POSTROUTING"];

/**
 * iptables asks the host's passwd and group databases; nfwalk knows only the
 * names every Linux system gives the same id.
 */
const WELL_KNOWN_IDS: Readonly<Record<"uid-owner" | "gid-owner", ReadonlyMap<string, number>>> = {
  "uid-owner": new Map([
    ["root", 0],
    ["nobody", 65534],
  ]),
  "gid-owner": new Map([
    ["root", 0],
    ["nogroup", 65534],
  ]),
};

export interface IdMatch {
  readonly range: Range;
  readonly negated: boolean;
}

export interface OwnerOptions {
  readonly socketExists?: { readonly negated: boolean };
  readonly uid?: IdMatch;
  readonly gid?: IdMatch;
  /** --suppl-groups: --gid-owner also looks at the process's supplementary groups. */
  readonly supplGroups: boolean;
}

/** owner_parse_range: a name, `N`, `N-M` or `N:M`; the kernel refuses a reversed range. */
function parseId(ctx: ParseContext, use: OptionUse, option: "uid-owner" | "gid-owner"): IdMatch {
  const token: Token = use.args[0]!;
  const known = WELL_KNOWN_IDS[option].get(token.text);
  if (known !== undefined) return { range: { min: known, max: known }, negated: use.invert };
  const m = /^([^-:]*)(?:[-:](.*))?$/.exec(token.text)!;
  if (/^\s*[a-z_]/i.test(token.text)) {
    ctx.fail(token, `--${option} "${token.text}": nfwalk cannot look up names in the host's ${option === "uid-owner" ? "passwd" : "group"} database; give the number`, "unknown-name");
  }
  const min = parseUIntText(ctx, token, m[1]!, `--${option}`, 0, MAX_ID);
  const max = m[2] === undefined ? min : parseUIntText(ctx, token, m[2], `--${option}`, 0, MAX_ID);
  if (min > max) ctx.fail(token, `--${option} range "${token.text}" is reversed`, "bad-value");
  return { range: { min, max }, negated: use.invert };
}

function saveId(option: string, id: IdMatch | undefined): string {
  if (!id) return "";
  const { min, max } = id.range;
  return `${id.negated ? " !" : ""} --${option} ${min === max ? min : `${min}-${max}`}`;
}

const inRange = (id: IdMatch, value: number) => value >= id.range.min && value <= id.range.max;

/**
 * owner_mt. Without a socket (forwarded packets, the kernel's own replies)
 * the match holds only if every option given is negated; `! --socket-exists`
 * fails with one. Then the socket file's fsuid and fsgid, and with
 * --suppl-groups the process's supplementary groups, which nfwalk is not given.
 */
function ownerMatch(o: OwnerOptions, socket: MatchEnv["socket"]): MatchResult {
  if (socket === undefined) {
    // (match ^ invert) == 0: XT_OWNER_SUPPL_GROUPS is a match bit that is never inverted.
    const given = [o.socketExists, o.uid, o.gid];
    return !o.supplGroups && given.every((g) => g === undefined || g.negated);
  }
  if (o.socketExists?.negated) return false;
  if (o.uid && inRange(o.uid, socket.uid) === o.uid.negated) return false;
  if (!o.gid) return true;
  if (inRange(o.gid, socket.gid)) return !o.gid.negated;
  if (o.supplGroups) return { unknown: `-m owner${saveId("gid-owner", o.gid)} --suppl-groups: depends on the sending process's supplementary groups` };
  return o.gid.negated;
}

export const owner: MatchExtension<OwnerOptions> = {
  kind: "match",
  name: "owner",
  options: [
    { name: "uid-owner", args: 1, invertible: true },
    { name: "gid-owner", args: 1, invertible: true },
    { name: "socket-exists", args: 0, invertible: true },
    { name: "suppl-groups", args: 0 },
  ],
  parse(uses, ctx) {
    if (uses.length === 0) ctx.fail(ctx.at, "-m owner needs --uid-owner, --gid-owner or --socket-exists", "missing-option");
    let options: OwnerOptions = { supplGroups: false };
    for (const use of uses) {
      switch (use.spec.name) {
        case "uid-owner":
          options = { ...options, uid: parseId(ctx, use, "uid-owner") };
          break;
        case "gid-owner":
          options = { ...options, gid: parseId(ctx, use, "gid-owner") };
          break;
        case "socket-exists":
          options = { ...options, socketExists: { negated: use.invert } };
          break;
        case "suppl-groups":
          if (!options.gid) ctx.fail(use.at, "--suppl-groups needs --gid-owner before it", "missing-option");
          options = { ...options, supplGroups: true };
          break;
      }
    }
    return options;
  },
  hooks: () => HOOKS,
  save(o) {
    const socket = o.socketExists ? `${o.socketExists.negated ? " !" : ""} --socket-exists` : "";
    return socket + saveId("uid-owner", o.uid) + saveId("gid-owner", o.gid) + (o.supplGroups ? " --suppl-groups" : "");
  },
  match: (o, env) => ownerMatch(o, env.socket),
  /** The sending socket is one for every packet a set walk sends. */
  matchSet: (o, env) => whole(ownerMatch(o, env.concrete.socket)),
};
